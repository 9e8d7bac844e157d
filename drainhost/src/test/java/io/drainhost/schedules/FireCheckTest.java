package io.drainhost.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drainhost.schedules.ScheduledRun.Outcome;
import io.drainhost.workflows.WorkflowTypes.WorkflowType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FireCheckTest {
  static final DeclaredSchedule EVERY_10S =
      DeclaredSchedule.of(
          ScheduleDeclaration.every("s", "W", Duration.ofSeconds(10))
              .withTolerance(Duration.ofSeconds(3)),
          new WorkflowType("W", new Type[0], "q", java.util.Optional.empty()));
  static final Instant T0 = Instant.parse("2026-11-25T07:20:00Z");

  final Map<Instant, ScheduledRun> runs = new HashMap<>();

  @Test
  void firesThatRanOnTimeAreNeitherMissedNorOverdue() {
    ran(T0, FireVerdict.ON_TIME, Outcome.SUCCEEDED);
    ran(T0.plusSeconds(10), FireVerdict.ON_TIME, Outcome.SUCCEEDED);
    FireCheck.Result r = judge(T0.plusSeconds(15));
    assertEquals("ok", r.state());
    assertEquals(List.of(), r.missed());
    assertEquals(T0.plusSeconds(11), r.lastSuccess());
    assertEquals(T0.plusSeconds(10), r.lastFire());
  }

  @Test
  void aFireWithoutARunOrWithALateOrSkippedOrUnbegunRunIsMissedOnceItsToleranceIsOver() {
    ran(T0, FireVerdict.SKIPPED, Outcome.SUCCEEDED);
    ran(T0.plusSeconds(10), FireVerdict.LATE, Outcome.SUCCEEDED);
    ran(T0.plusSeconds(20), null, Outcome.RUNNING); // no worker has begun it
    // 07:20:30: no run at all; 07:20:40: within its tolerance, not judged yet
    FireCheck.Result r = judge(T0.plusSeconds(41));
    assertEquals(
        List.of(T0, T0.plusSeconds(10), T0.plusSeconds(20), T0.plusSeconds(30)), r.missed());
  }

  @Test
  void noSuccessWithinAnIntervalAndTheToleranceOfAFireIsOverdue() {
    ran(T0, FireVerdict.ON_TIME, Outcome.SUCCEEDED);
    ran(T0.plusSeconds(10), FireVerdict.ON_TIME, Outcome.RUNNING);
    assertEquals("ok", judge(T0.plusSeconds(22)).state()); // due by 07:20:23
    assertEquals("overdue", judge(T0.plusSeconds(24)).state());
  }

  @Test
  void theLatestRunFailingMakesTheScheduleFailingAndIsReportedAsAFailedFire() {
    ran(T0, FireVerdict.ON_TIME, Outcome.SUCCEEDED);
    ran(T0.plusSeconds(10), FireVerdict.ON_TIME, Outcome.FAILED);
    FireCheck.Result r = judge(T0.plusSeconds(15));
    assertEquals("failing", r.state());
    assertEquals(List.of(T0.plusSeconds(10)), r.failed());
  }

  @Test
  void aPausedScheduleSaysSo() {
    assertEquals(
        "paused", FireCheck.judge(EVERY_10S, List.of(T0), runs, true, T0.plusSeconds(60)).state());
  }

  private void ran(Instant fire, FireVerdict verdict, Outcome outcome) {
    runs.put(
        fire,
        new ScheduledRun(
            fire, outcome, verdict, outcome == Outcome.RUNNING ? null : fire.plusSeconds(1)));
  }

  private FireCheck.Result judge(Instant now) {
    return FireCheck.judge(
        EVERY_10S, EVERY_10S.fireTimes().between(T0.minusMillis(1), now, 100), runs, false, now);
  }
}
