package io.drainhost.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.config.DrainPolicies;
import io.drainhost.config.DrainPolicy;
import io.drainhost.tracking.ActivityDurations;
import io.drainhost.tracking.DrainDecision;
import io.drainhost.tracking.InflightItem;
import io.drainhost.tracking.WorkKind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DrainDeciderTest {
  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  static InflightItem attempt(String type, int attempt, int maxAttempts, Duration running) {
    return new InflightItem(
        WorkKind.ACTIVITY,
        "q",
        "wf",
        "run",
        "W",
        type,
        attempt,
        maxAttempts,
        NOW.minus(running),
        new byte[] {1});
  }

  static ActivityDurations history(String type, int seconds, int count) {
    ActivityDurations d = new ActivityDurations();
    for (int i = 0; i < count; i++) {
      d.record(type, Duration.ofSeconds(seconds));
    }
    return d;
  }

  @Test
  void autoHandsOffAnAttemptThatWillNotFinishAndLetsOneThatWillRun() {
    DrainDecider decider = new DrainDecider(DrainPolicies.DEFAULT, history("Render", 60, 5));
    DrainDecision straggler =
        decider.decide(attempt("Render", 1, 0, Duration.ofSeconds(3)), NOW, Duration.ofSeconds(25));
    assertTrue(straggler.handOffNow(), straggler.reason());
    assertEquals(DrainPolicy.AUTO, straggler.policy());
    assertEquals(
        "predicted 57.0 s > 25.0 s left (0 of 5 comparable attempts fit)", straggler.reason());
    DrainDecision fits =
        decider.decide(
            attempt("Render", 1, 0, Duration.ofSeconds(40)), NOW, Duration.ofSeconds(25));
    assertFalse(fits.handOffNow(), fits.reason());
  }

  @Test
  void autoWithoutHistoryLetsTheAttemptRun() {
    DrainDecision d =
        new DrainDecider(DrainPolicies.DEFAULT, new ActivityDurations())
            .decide(attempt("Render", 1, 0, Duration.ofSeconds(3)), NOW, Duration.ofSeconds(1));
    assertFalse(d.handOffNow(), d.reason());
  }

  @Test
  void handoffAndFinishPoliciesAreFollowedWhateverTheHistory() {
    // Render's history says it fits (1 s), Charge's that it never will (600 s): the policies win.
    ActivityDurations history = history("Render", 1, 10);
    for (int i = 0; i < 10; i++) {
      history.record("Charge", Duration.ofSeconds(600));
    }
    DrainDecider decider =
        new DrainDecider(DrainPolicies.parse("Render=handoff,*=finish"), history);
    DrainDecision render =
        decider.decide(attempt("Render", 1, 0, Duration.ZERO), NOW, Duration.ofSeconds(25));
    assertTrue(render.handOffNow(), render.reason());
    assertEquals("policy handoff", render.reason());
    DrainDecision charge =
        decider.decide(attempt("Charge", 1, 0, Duration.ZERO), NOW, Duration.ofSeconds(25));
    assertFalse(charge.handOffNow(), charge.reason());
    assertEquals("policy finish", charge.reason());
    // The same histories under auto decide the other way round: the policies above were followed.
    DrainDecider auto = new DrainDecider(DrainPolicies.DEFAULT, history);
    assertFalse(
        auto.decide(attempt("Render", 1, 0, Duration.ZERO), NOW, Duration.ofSeconds(25))
            .handOffNow());
    assertTrue(
        auto.decide(attempt("Charge", 1, 0, Duration.ZERO), NOW, Duration.ofSeconds(25))
            .handOffNow());
  }

  @Test
  void anAttemptWithNoFurtherAttemptInItsRetryPolicyIsNeverHandedOffEarly() {
    DrainDecider decider =
        new DrainDecider(DrainPolicies.parse("*=handoff"), history("Render", 60, 5));
    DrainDecision last =
        decider.decide(attempt("Render", 3, 3, Duration.ofSeconds(3)), NOW, Duration.ofSeconds(25));
    assertFalse(last.handOffNow());
    assertEquals("no further attempt in its retry policy (attempt 3 of 3)", last.reason());
    assertTrue(
        decider
            .decide(attempt("Render", 2, 3, Duration.ofSeconds(3)), NOW, Duration.ofSeconds(25))
            .handOffNow());
  }
}
