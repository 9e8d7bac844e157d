package io.drainhost.temporal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: {@code initial} doubling per failure up to {@code max}, each
 * delay spread by ±20% so that many hosts losing the same cluster do not reconnect in lockstep.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;

  public Backoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** The delay after the {@code failures}-th consecutive failure (1-based). */
  public Duration delay(int failures) {
    int doublings = Math.max(0, Math.min(failures - 1, 30));
    double base = Math.min((double) max.toMillis(), initial.toMillis() * Math.pow(2, doublings));
    double jittered = base * (0.8 + 0.4 * random.getAsDouble());
    return Duration.ofMillis(Math.max(1, Math.round(Math.min(jittered, max.toMillis()))));
  }
}
