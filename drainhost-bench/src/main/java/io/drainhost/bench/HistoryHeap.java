package io.drainhost.bench;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.History;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * What one running history takes in heap while it is held, against its serialized size: the figure
 * the replay gate's memory budget starts from (HistoryBudget's heap per serialized byte). Fetches
 * one history once and holds {@code copies} parsed copies of it, the heap measured after full
 * collections before and after.
 */
final class HistoryHeap {
  private final long serializedBytes;
  private final long heapBytesEach;
  private final int events;

  private HistoryHeap(long serializedBytes, long heapBytesEach, int events) {
    this.serializedBytes = serializedBytes;
    this.heapBytesEach = heapBytesEach;
    this.events = events;
  }

  static HistoryHeap measure(int temporalPort, String workflowId, int copies) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + temporalPort)
                .build());
    try {
      History.Builder all = History.newBuilder();
      com.google.protobuf.ByteString page = com.google.protobuf.ByteString.EMPTY;
      do {
        GetWorkflowExecutionHistoryResponse r =
            stubs
                .blockingStub()
                .getWorkflowExecutionHistory(
                    GetWorkflowExecutionHistoryRequest.newBuilder()
                        .setNamespace("default")
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .setNextPageToken(page)
                        .build());
        all.addAllEvents(r.getHistory().getEventsList());
        page = r.getNextPageToken();
      } while (!page.isEmpty());
      byte[] bytes = all.build().toByteArray();
      long before = usedAfterGc();
      List<History> held = new ArrayList<>();
      for (int i = 0; i < copies; i++) {
        held.add(History.parseFrom(bytes));
      }
      long after = usedAfterGc();
      int events = held.get(0).getEventsCount();
      return new HistoryHeap(bytes.length, (after - before) / copies, events);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    } finally {
      stubs.shutdownNow();
    }
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  void print() {
    System.out.printf(
        "history in heap: %d events, %.2f MiB serialized, %.2f MiB held (%.1f heap bytes per"
            + " serialized byte)%n",
        events,
        serializedBytes / 1048576.0,
        heapBytesEach / 1048576.0,
        heapBytesEach / (double) Math.max(1, serializedBytes));
  }
}
