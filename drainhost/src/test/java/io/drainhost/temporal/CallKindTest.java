package io.drainhost.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CallKindTest {
  @Test
  void workflowServiceMethodsAreCountedByWhatAnOperatorWouldChange() {
    assertEquals(CallKind.POLL, CallKind.of("PollActivityTaskQueue"));
    assertEquals(CallKind.POLL, CallKind.of("PollWorkflowTaskQueue"));
    assertEquals(CallKind.HEARTBEAT, CallKind.of("RecordActivityTaskHeartbeat"));
    assertEquals(CallKind.HEARTBEAT, CallKind.of("RecordActivityTaskHeartbeatById"));
    assertEquals(CallKind.RESPOND, CallKind.of("RespondActivityTaskFailed"));
    assertEquals(CallKind.RESPOND, CallKind.of("RespondWorkflowTaskCompleted"));
    assertEquals(CallKind.START, CallKind.of("StartWorkflowExecution"));
    assertEquals(CallKind.START, CallKind.of("SignalWithStartWorkflowExecution"));
    assertEquals(CallKind.DESCRIBE, CallKind.of("DescribeTaskQueue"));
    assertEquals(CallKind.DESCRIBE, CallKind.of("GetWorkflowExecutionHistory"));
    assertEquals(CallKind.DESCRIBE, CallKind.of("CountWorkflowExecutions"));
    assertEquals(CallKind.OTHER, CallKind.of("SignalWorkflowExecution"));
    assertEquals("heartbeat", CallKind.HEARTBEAT.wireName());
  }
}
