package io.drainhost.support;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/** Reads what Temporal recorded of a workflow: which worker ran its tasks, and when. */
public final class Histories implements AutoCloseable {
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;

  public Histories(String address) {
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    client = WorkflowClient.newInstance(stubs);
  }

  public WorkflowClient client() {
    return client;
  }

  public List<HistoryEvent> events(String workflowId) {
    return client.fetchHistory(workflowId).getEvents();
  }

  /** The identities of the workers that started a workflow task or an activity of this workflow. */
  public Set<String> workers(String workflowId) {
    Set<String> identities = new TreeSet<>();
    for (HistoryEvent e : events(workflowId)) {
      if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
        identities.add(e.getWorkflowTaskStartedEventAttributes().getIdentity());
      } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        identities.add(e.getActivityTaskStartedEventAttributes().getIdentity());
      }
    }
    return identities;
  }

  /** The time of the first event of this type, or null. */
  public static Instant firstTime(List<HistoryEvent> events, EventType type) {
    return events.stream()
        .filter(e -> e.getEventType() == type)
        .findFirst()
        .map(e -> Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos()))
        .orElse(null);
  }

  /** The first event of this type, or null. */
  public static HistoryEvent first(List<HistoryEvent> events, EventType type) {
    return events.stream().filter(e -> e.getEventType() == type).findFirst().orElse(null);
  }

  public static Duration between(Instant a, Instant b) {
    return Duration.between(a, b);
  }

  @Override
  public void close() {
    stubs.shutdownNow();
    stubs.awaitTermination(1, TimeUnit.SECONDS);
  }
}
