package io.drainhost.schedules;

import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What happens to a fire whose run could not start within the tolerance because Temporal or every
 * worker was unavailable. Temporal alone cannot say "only the latest missed fire" (its BUFFER_ONE
 * keeps the first buffered fire), and with no worker up it starts each fire's workflow on time
 * anyway (the run then waits). So every policy buffers all fires, oldest first, and the {@link
 * MisfireGuard} decides in each run, when a worker first runs it, whether a late fire runs.
 */
public enum MisfirePolicy {
  /** A late fire never runs. */
  SKIP(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL),
  /** Every late fire runs once, oldest first. */
  CATCHUP_ALL(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL),
  /** Only the most recent late fire runs: a late run skips itself when a newer fire is late too. */
  CATCHUP_LATEST(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL);

  /** Temporal's smallest catch-up window. */
  static final Duration MIN_CATCHUP_WINDOW = Duration.ofSeconds(10);

  /** How late a caught-up fire may still start: Temporal's default, a year. */
  static final Duration CATCHUP_ALL_WINDOW = Duration.ofDays(365);

  private final ScheduleOverlapPolicy overlap;

  MisfirePolicy(ScheduleOverlapPolicy overlap) {
    this.overlap = overlap;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  ScheduleOverlapPolicy overlap() {
    return overlap;
  }

  /**
   * How late Temporal may still start a fire it missed while it was down. For {@code skip} the
   * tolerance (at least Temporal's minimum; the guard skips what starts later than the tolerance).
   */
  Duration catchupWindow(Duration tolerance) {
    if (this != SKIP) {
      return CATCHUP_ALL_WINDOW;
    }
    return tolerance.compareTo(MIN_CATCHUP_WINDOW) < 0 ? MIN_CATCHUP_WINDOW : tolerance;
  }

  public static Optional<MisfirePolicy> parse(String value) {
    return Arrays.stream(values()).filter(p -> p.wireName().equals(value)).findFirst();
  }

  static String choices() {
    return Arrays.stream(values()).map(MisfirePolicy::wireName).collect(Collectors.joining(", "));
  }
}
