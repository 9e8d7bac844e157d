package io.drainhost.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Duration initial = Duration.ofSeconds(1);
  private final Duration cap = Duration.ofSeconds(30);

  @Test
  void doublesFromOneSecondUpToTheCapWithoutJitter() {
    Backoff middle = new Backoff(initial, cap, () -> 0.5); // 0.8 + 0.4 * 0.5 = 1.0
    assertEquals(Duration.ofSeconds(1), middle.delay(1));
    assertEquals(Duration.ofSeconds(2), middle.delay(2));
    assertEquals(Duration.ofSeconds(4), middle.delay(3));
    assertEquals(Duration.ofSeconds(16), middle.delay(5));
    assertEquals(Duration.ofSeconds(30), middle.delay(6));
    assertEquals(Duration.ofSeconds(30), middle.delay(1000));
  }

  @Test
  void jitterSpreadsDelaysByTwentyPercentAndNeverPassesTheCap() {
    Backoff low = new Backoff(initial, cap, () -> 0.0);
    Backoff high = new Backoff(initial, cap, () -> 0.999999);
    assertEquals(Duration.ofMillis(800), low.delay(1));
    assertEquals(Duration.ofMillis(1200), high.delay(1));
    assertEquals(Duration.ofMillis(24_000), low.delay(10));
    assertEquals(cap, high.delay(10));
    for (int failures = 1; failures < 50; failures++) {
      Duration d = high.delay(failures);
      assertTrue(d.compareTo(cap) <= 0 && !d.isNegative() && !d.isZero(), d.toString());
    }
  }
}
