package io.drainhost.schedules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Judges a schedule's recent fires against the runs Temporal started for them: which fires did not
 * run on time, which runs failed, when the schedule last succeeded and whether it is overdue.
 */
final class FireCheck {
  /** Visibility lags a run's start by a moment: a fire is judged this long after its deadline. */
  static final Duration GRACE = Duration.ofSeconds(1);

  /** The judgement of one check. */
  record Result(
      String state,
      Instant lastFire,
      Instant lastSuccess,
      List<Instant> missed,
      List<Instant> failed) {}

  private FireCheck() {}

  /**
   * @param fires the fire times of the watched window, oldest first, none after {@code now}
   * @param runs the runs of those fires, by fire time
   */
  static Result judge(
      DeclaredSchedule s,
      List<Instant> fires,
      Map<Instant, ScheduledRun> runs,
      boolean paused,
      Instant now) {
    Duration tolerance = s.declaration().tolerance();
    List<Instant> missed = new ArrayList<>();
    List<Instant> failed = new ArrayList<>();
    Instant lastSuccess = null;
    ScheduledRun latestClosed = null;
    for (Instant fire : fires) {
      ScheduledRun run = runs.get(fire);
      if (run != null && run.executed() && run.outcome() != ScheduledRun.Outcome.RUNNING) {
        latestClosed = run;
        if (run.outcome() == ScheduledRun.Outcome.SUCCEEDED) {
          lastSuccess = max(lastSuccess, run.closeTime());
        } else {
          failed.add(fire);
        }
      }
      boolean judged = now.isAfter(fire.plus(tolerance).plus(GRACE));
      boolean onTime = run != null && run.verdict() == FireVerdict.ON_TIME;
      if (judged && !onTime) {
        missed.add(fire);
      }
    }
    Instant lastFire = fires.isEmpty() ? null : fires.get(fires.size() - 1);
    String state;
    if (paused) {
      state = "paused";
    } else if (latestClosed != null && latestClosed.outcome() == ScheduledRun.Outcome.FAILED) {
      state = "failing";
    } else if (overdue(s, fires, lastSuccess, now)) {
      state = "overdue";
    } else {
      state = "ok";
    }
    return new Result(state, lastFire, lastSuccess, missed, failed);
  }

  /**
   * Overdue: a fire's run should have succeeded by the next fire time plus the tolerance, and no
   * run has succeeded since that fire.
   */
  private static boolean overdue(
      DeclaredSchedule s, List<Instant> fires, Instant lastSuccess, Instant now) {
    Instant due = null;
    for (Instant fire : fires) {
      Instant next = s.fireTimes().after(fire);
      if (!next.plus(s.declaration().tolerance()).isAfter(now)) {
        due = fire;
      }
    }
    return due != null && (lastSuccess == null || lastSuccess.isBefore(due));
  }

  private static Instant max(Instant a, Instant b) {
    return a == null || (b != null && b.isAfter(a)) ? b : a;
  }
}
