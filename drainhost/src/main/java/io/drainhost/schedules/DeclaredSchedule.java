package io.drainhost.schedules;

import io.drainhost.workflows.WorkflowTypes.WorkflowType;
import io.temporal.client.WorkflowClient;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A valid declaration bound to the workflow type that runs it on this host.
 *
 * @param fingerprint identifies the declaration; a schedule made from another one is updated
 */
record DeclaredSchedule(
    ScheduleDeclaration declaration, WorkflowType type, FireTimes fireTimes, String fingerprint) {

  static DeclaredSchedule of(ScheduleDeclaration d, WorkflowType type) {
    return new DeclaredSchedule(
        d, type, d.fireTimes(), ScheduleReconciler.fingerprint(d, type.taskQueue()));
  }

  String id() {
    return declaration.id();
  }

  String taskQueue() {
    return type.taskQueue();
  }

  Object[] arguments() {
    return ScheduleReconciler.arguments(declaration.input(), type.parameterTypes().length);
  }

  /**
   * The workflow id Temporal gives the run of one fire: the schedule's workflow id (its id) and the
   * fire time in RFC 3339, UTC, whole seconds.
   */
  String workflowIdOf(Instant fire) {
    return declaration.id() + "-" + DateTimeFormatter.ISO_INSTANT.format(fire);
  }

  /**
   * The fire a workflow id names, when it is the id of one of this schedule's runs; empty for any
   * other id, including one that only starts like it (another schedule "x-y" for "x").
   */
  Optional<Instant> fireOf(String workflowId) {
    String prefix = declaration.id() + "-";
    if (!workflowId.startsWith(prefix)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(workflowId.substring(prefix.length())));
    } catch (DateTimeParseException notAFire) {
      return Optional.empty();
    }
  }

  /**
   * The runs Temporal started for this schedule's fires since {@code oldest}, by fire time (the
   * visibility query by {@code TemporalScheduledById}).
   */
  Map<Instant, ScheduledRun> runsSince(WorkflowClient client, Instant oldest, long limit) {
    String query =
        "TemporalScheduledById = '"
            + id()
            + "' AND TemporalScheduledStartTime >= '"
            + DateTimeFormatter.ISO_INSTANT.format(oldest)
            + "'";
    Map<Instant, ScheduledRun> runs = new HashMap<>();
    client
        .listExecutions(query)
        .limit(limit)
        .forEach(m -> ScheduledRun.of(this, m).ifPresent(run -> runs.put(run.fire(), run)));
    return runs;
  }
}
