package io.drainhost.schedules;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The fire times of a schedule, computed the way Temporal computes them: an interval fires at whole
 * multiples of it since the epoch, a cron at its matching minutes in its time zone.
 */
public final class FireTimes {
  private static final CronParser UNIX_CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /** The first fire time strictly after the given instant. */
  private final UnaryOperator<Instant> next;

  private FireTimes(UnaryOperator<Instant> next) {
    this.next = next;
  }

  static FireTimes every(Duration every) {
    long period = every.toMillis();
    return new FireTimes(
        after ->
            Instant.ofEpochMilli(Math.floorDiv(after.toEpochMilli(), period) * period + period));
  }

  static FireTimes cron(String expression, ZoneId zone) {
    ExecutionTime times = ExecutionTime.forCron(UNIX_CRON.parse(expression));
    return new FireTimes(
        after ->
            times.nextExecution(after.atZone(zone)).map(z -> z.toInstant()).orElse(Instant.MAX));
  }

  /** Why the expression is not a valid 5-field cron, or empty when it is. */
  static Optional<String> cronProblem(String expression) {
    if (expression == null || expression.isBlank()) {
      return Optional.of("must not be empty");
    }
    if (expression.trim().split("\\s+").length != 5) {
      return Optional.of(
          "'" + expression + "' must have 5 fields: minute hour day-of-month month day-of-week");
    }
    try {
      UNIX_CRON.parse(expression).validate();
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of("'" + expression + "' is not valid: " + e.getMessage());
    }
  }

  /** The first fire time strictly after {@code after}. */
  public Instant after(Instant after) {
    return next.apply(after);
  }

  /**
   * The fire times in {@code (from, to]}, oldest first, at most {@code limit} (the newest ones).
   */
  public List<Instant> between(Instant from, Instant to, int limit) {
    List<Instant> fires = new ArrayList<>();
    for (Instant t = after(from); !t.isAfter(to); t = after(t)) {
      fires.add(t);
      if (fires.size() > limit) {
        fires.remove(0);
      }
    }
    return fires;
  }

  /** The first fire times in {@code [from, to]}, oldest first, stopping after {@code max}. */
  public List<Instant> first(Instant from, Instant to, int max) {
    List<Instant> fires = new ArrayList<>();
    for (Instant t = after(from.minusMillis(1));
        !t.isAfter(to) && fires.size() < max;
        t = after(t)) {
      fires.add(t);
    }
    return fires;
  }

  /** The latest fire time at or before {@code at}, or empty when none is within {@code horizon}. */
  public Optional<Instant> latestAtOrBefore(Instant at, Duration horizon) {
    List<Instant> fires = between(at.minus(horizon), at, 1);
    return fires.isEmpty() ? Optional.empty() : Optional.of(fires.get(0));
  }
}
