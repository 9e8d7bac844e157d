package io.drainhost.deploy.plan;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * When a version's failures in its watch window call for a rollback: more failures than {@code
 * maxFailures}, or a failure rate above {@code maxRate}. The rate counts failed runs and runs
 * failing workflow tasks against runs started, with at least {@code minRuns} in the denominator, so
 * that 1 failure in 2 runs is not 50%. With neither limit, any failure rolls back.
 */
public record FailureRule(OptionalDouble maxRate, OptionalLong maxFailures, long minRuns) {
  public static final long DEFAULT_MIN_RUNS = 20;

  public FailureRule {
    if (maxRate.isPresent() && (maxRate.getAsDouble() < 0 || maxRate.getAsDouble() > 1)) {
      throw new IllegalArgumentException("--max-failure-rate must be from 0 to 1");
    }
    if (maxFailures.isPresent() && maxFailures.getAsLong() < 0) {
      throw new IllegalArgumentException("--max-failures must be 0 or more");
    }
    if (minRuns < 1) {
      throw new IllegalArgumentException("--min-runs must be 1 or more");
    }
  }

  /** Any failure rolls back (the default: {@code --max-failures 0}). */
  public static final FailureRule STRICT =
      new FailureRule(OptionalDouble.empty(), OptionalLong.of(0), DEFAULT_MIN_RUNS);

  public double rate(Observed.Health h) {
    return (double) h.failures() / Math.max(h.started(), minRuns);
  }

  public boolean trips(Observed.Health h) {
    boolean count =
        maxFailures.isPresent() && h.failures() > maxFailures.getAsLong()
            || maxRate.isEmpty() && maxFailures.isEmpty() && h.failures() > 0;
    boolean rate = maxRate.isPresent() && rate(h) > maxRate.getAsDouble();
    return count || rate;
  }

  /** The window's figures against the limits, for a message. */
  public String describe(Observed.Health h) {
    String figures =
        h.failed()
            + " run(s) failed, "
            + h.failing()
            + " failing workflow tasks, of "
            + h.started()
            + " started"
            + (h.examples().isEmpty() ? "" : " " + h.examples());
    String limits =
        (maxFailures.isPresent() ? "--max-failures " + maxFailures.getAsLong() : "")
            + (maxFailures.isPresent() && maxRate.isPresent() ? ", " : "")
            + (maxRate.isPresent()
                ? String.format(
                    "--max-failure-rate %s (rate %.3f over at least %d runs)",
                    maxRate.getAsDouble(), rate(h), minRuns)
                : "")
            + (maxRate.isEmpty() && maxFailures.isEmpty() ? "no failure tolerated" : "");
    return figures + " (" + limits + ")";
  }
}
