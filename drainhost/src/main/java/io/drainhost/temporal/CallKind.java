package io.drainhost.temporal;

import java.util.Locale;

/**
 * The kinds of Temporal call a refusal is counted by: what an operator changes differs by kind (the
 * poller count for polls, heartbeat timeouts for heartbeats, the load itself for starts).
 */
public enum CallKind {
  POLL,
  HEARTBEAT,
  RESPOND,
  START,
  DESCRIBE,
  OTHER;

  /** The label value: {@code drainhost_temporal_throttled_total{call="heartbeat"}}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind of a WorkflowService method, by its bare name ({@code PollActivityTaskQueue}). */
  public static CallKind of(String method) {
    if (method.startsWith("Poll")) {
      return POLL;
    }
    if (method.startsWith("RecordActivityTaskHeartbeat")) {
      return HEARTBEAT;
    }
    if (method.startsWith("Respond")) {
      return RESPOND;
    }
    if (method.equals("StartWorkflowExecution")
        || method.equals("SignalWithStartWorkflowExecution")
        || method.equals("ExecuteMultiOperation")) {
      return START;
    }
    if (method.startsWith("Describe")
        || method.startsWith("Get")
        || method.startsWith("List")
        || method.startsWith("Count")
        || method.equals("QueryWorkflow")) {
      return DESCRIBE;
    }
    return OTHER;
  }
}
