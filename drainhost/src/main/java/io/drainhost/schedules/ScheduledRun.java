package io.drainhost.schedules;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionMetadata;
import java.time.Instant;
import java.util.Optional;

/**
 * The run Temporal started for one fire, as visibility lists it.
 *
 * @param verdict what the run's guard decided; null while no worker has begun it
 */
record ScheduledRun(Instant fire, Outcome outcome, FireVerdict verdict, Instant closeTime) {

  enum Outcome {
    RUNNING,
    SUCCEEDED,
    FAILED
  }

  /** Whether the workflow itself ran (on time or caught up), not only its start. */
  boolean executed() {
    return verdict == FireVerdict.ON_TIME || verdict == FireVerdict.LATE;
  }

  static Optional<ScheduledRun> of(DeclaredSchedule s, WorkflowExecutionMetadata m) {
    Optional<Instant> fire = s.fireOf(m.getExecution().getWorkflowId());
    if (fire.isEmpty()) {
      return Optional.empty();
    }
    Object verdict = m.getMemo(FireVerdict.MEMO, String.class);
    return Optional.of(
        new ScheduledRun(
            fire.get(),
            outcome(m.getStatus()),
            verdict instanceof String v ? FireVerdict.fromWire(v) : null,
            m.getCloseTime()));
  }

  private static Outcome outcome(WorkflowExecutionStatus status) {
    return switch (status) {
      case WORKFLOW_EXECUTION_STATUS_RUNNING,
          WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW,
          WORKFLOW_EXECUTION_STATUS_UNSPECIFIED ->
          Outcome.RUNNING;
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> Outcome.SUCCEEDED;
      default -> Outcome.FAILED;
    };
  }
}
