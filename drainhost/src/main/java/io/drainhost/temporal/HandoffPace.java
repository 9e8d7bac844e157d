package io.drainhost.temporal;

import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * The rate at which a drain sends hand-off calls again after Temporal refused some for now, fed by
 * what Temporal accepts: {@link #GAIN} times the calls accepted in the last second, plus {@link
 * #PROBE}. While refusals come, acceptance falls and the rate with it, to the probe; as calls are
 * accepted it grows. Temporal's rate limiter charges nothing for a refused call, so asking a little
 * more than it accepts loses nothing but the call, and every token the namespace frees is taken;
 * hosts stopping together against one namespace settle on equal shares without knowing of each
 * other (each sends GAIN × its share + PROBE, which is the same for all). The time between two
 * calls varies by ±25% around the rate, so that hosts do not fall into step and one always ask just
 * after another took the token.
 */
final class HandoffPace {
  static final double GAIN = 1.5;
  static final double PROBE = 4;
  static final double MAX = 1000;
  static final long WINDOW = TimeUnit.SECONDS.toNanos(1);

  private final ArrayDeque<Long> accepted = new ArrayDeque<>();
  private final DoubleSupplier random;

  HandoffPace() {
    this(() -> ThreadLocalRandom.current().nextDouble());
  }

  HandoffPace(DoubleSupplier random) {
    this.random = random;
  }

  /** Calls per second at {@code now} (nanoTime). */
  double rate(long now) {
    while (!accepted.isEmpty() && now - accepted.peekFirst() >= WINDOW) {
      accepted.pollFirst();
    }
    return Math.min(MAX, GAIN * accepted.size() + PROBE);
  }

  /** The time until the next call at the current rate, ±25%. */
  long intervalNanos(long now) {
    return (long) (TimeUnit.SECONDS.toNanos(1) / rate(now) * (0.75 + 0.5 * random.getAsDouble()));
  }

  /** Temporal accepted a call sent again, at {@code now}. */
  void accepted(long now) {
    accepted.addLast(now);
  }
}
