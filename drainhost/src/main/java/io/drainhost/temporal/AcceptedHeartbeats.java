package io.drainhost.temporal;

import io.drainhost.tracking.ActivityAttempts;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;

/**
 * Tells each running attempt when Temporal last accepted a heartbeat of it (the SDK's throttled
 * ones and a drain's keep-alives alike): from that and its heartbeat timeout a drain knows when
 * Temporal would time the attempt out, and hands back first what would time out first.
 */
public final class AcceptedHeartbeats extends CallObserver {
  private static final String HEARTBEAT =
      WorkflowServiceGrpc.getRecordActivityTaskHeartbeatMethod().getFullMethodName();

  private final ActivityAttempts attempts;

  public AcceptedHeartbeats(ActivityAttempts attempts) {
    this.attempts = attempts;
  }

  @Override
  boolean observes(MethodDescriptor<?, ?> method) {
    return HEARTBEAT.equals(method.getFullMethodName());
  }

  @Override
  void answered(MethodDescriptor<?, ?> method, Object request, long sentAt, Status status) {
    if (status.isOk() && request instanceof RecordActivityTaskHeartbeatRequest heartbeat) {
      attempts.find(heartbeat.getTaskToken()).ifPresent(a -> a.heartbeatAccepted(sentAt));
    }
  }
}
