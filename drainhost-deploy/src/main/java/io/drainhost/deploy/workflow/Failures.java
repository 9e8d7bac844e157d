package io.drainhost.deploy.workflow;

import io.drainhost.deploy.activity.ActivityFailures;
import io.drainhost.deploy.plan.Plan;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import java.util.List;

/** An activity's failure, as the exit code and the line a pipeline reads. */
final class Failures {
  private Failures() {}

  /**
   * @param lines what the activity printed before it failed
   */
  record Failure(int exitCode, String message, List<String> lines) {}

  static Failure of(ActivityFailure f) {
    if (f.getCause() instanceof ApplicationFailure a) {
      int code =
          switch (a.getType()) {
            case ActivityFailures.USAGE -> Plan.USAGE;
            case ActivityFailures.REFUSED -> Plan.REFUSED;
            default -> Plan.UNAVAILABLE;
          };
      List<String> lines = List.of();
      if (a.getDetails().getSize() > 0) {
        lines = List.of(a.getDetails().get(0, String[].class, String[].class));
      }
      return new Failure(code, a.getOriginalMessage(), lines);
    }
    if (f.getCause() instanceof TimeoutFailure) {
      return new Failure(
          Plan.UNAVAILABLE,
          f.getActivityType() + " timed out in its worker, attempt after attempt",
          List.of());
    }
    return new Failure(
        Plan.UNAVAILABLE, f.getActivityType() + " failed: " + f.getCause().getMessage(), List.of());
  }
}
