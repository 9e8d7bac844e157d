package io.drainhost.schedules;

import io.drainhost.temporal.WorkflowTypes.WorkflowType;

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
  String workflowIdOf(java.time.Instant fire) {
    return declaration.id() + "-" + java.time.format.DateTimeFormatter.ISO_INSTANT.format(fire);
  }
}
