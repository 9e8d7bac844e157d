package io.drainhost.lifecycle;

import io.drainhost.config.DrainPolicies;
import io.drainhost.config.DrainPolicy;
import io.drainhost.tracking.ActivityDurations;
import io.drainhost.tracking.DrainDecision;
import io.drainhost.tracking.FinishPrediction;
import io.drainhost.tracking.InflightItem;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides, when a drain starts, which activity attempts to hand back to Temporal at once (their
 * policy is {@code handoff}, or {@code auto} and they will not finish in time) and which may run
 * until the shutdown timeout. An attempt whose retry policy allows no further attempt is never
 * handed off early: handing it back would fail the activity.
 */
public final class DrainDecider {
  private final DrainPolicies policies;
  private final ActivityDurations durations;

  public DrainDecider(DrainPolicies policies, ActivityDurations durations) {
    this.policies = policies;
    this.durations = durations;
  }

  /** {@code left}: the time from now to the shutdown timeout's end. */
  public DrainDecision decide(InflightItem attempt, Instant now, Duration left) {
    DrainPolicy policy = policies.forType(attempt.type());
    if (attempt.maxAttempts() > 0 && attempt.attempt() >= attempt.maxAttempts()) {
      return new DrainDecision(
          policy,
          false,
          "no further attempt in its retry policy (attempt "
              + attempt.attempt()
              + " of "
              + attempt.maxAttempts()
              + ")");
    }
    switch (policy) {
      case FINISH:
        return new DrainDecision(policy, false, "policy finish");
      case HANDOFF:
        return new DrainDecision(policy, true, "policy handoff");
      default:
        long elapsed = Math.max(0, Duration.between(attempt.startedAt(), now).toMillis());
        FinishPrediction p =
            FinishPrediction.of(durations.millis(attempt.type()), elapsed, left.toMillis());
        return new DrainDecision(
            policy, p.verdict() == FinishPrediction.Verdict.DOES_NOT_FIT, p.reason());
    }
  }
}
