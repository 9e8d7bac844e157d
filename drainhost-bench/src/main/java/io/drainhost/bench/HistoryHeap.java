package io.drainhost.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.history.v1.History;
import io.temporal.client.WorkflowClient;
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
      // The SDK's own fetch, as the replay gate does it: every page, as one History.
      byte[] bytes =
          WorkflowClient.newInstance(stubs).fetchHistory(workflowId).getHistory().toByteArray();
      long before = usedAfterGc();
      List<History> held = new ArrayList<>();
      for (int i = 0; i < copies; i++) {
        held.add(History.parseFrom(bytes));
      }
      long after = usedAfterGc();
      int events = held.get(0).getEventsCount();
      return new HistoryHeap(bytes.length, (after - before) / copies, events);
    } catch (InvalidProtocolBufferException e) {
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
