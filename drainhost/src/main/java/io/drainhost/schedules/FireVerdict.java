package io.drainhost.schedules;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** What the run of one fire did about its lateness; kept in the run's memo. */
public enum FireVerdict {
  /** Started within the tolerance. */
  ON_TIME,
  /** Started late and ran (catch-up). */
  LATE,
  /** Started late and did not run its workflow, as the misfire policy says. */
  SKIPPED;

  /** Memo key on a scheduled run. */
  public static final String MEMO = "drainhostFire";

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FireVerdict fromWire(String value) {
    return value == null ? null : valueOf(value.toUpperCase(Locale.ROOT));
  }

  /**
   * The verdict for a run of fire {@code fire} that begins at {@code now}: on time within the
   * tolerance; otherwise the policy decides. {@code catchup_latest} runs a late fire unless the
   * next fire is late as well (that one, or a later one, is the latest missed fire and runs).
   */
  static FireVerdict decide(
      MisfirePolicy policy, Duration tolerance, FireTimes times, Instant fire, Instant now) {
    if (!now.isAfter(fire.plus(tolerance))) {
      return ON_TIME;
    }
    return switch (policy) {
      case SKIP -> SKIPPED;
      case CATCHUP_ALL -> LATE;
      case CATCHUP_LATEST -> times.after(fire).plus(tolerance).isBefore(now) ? SKIPPED : LATE;
    };
  }
}
