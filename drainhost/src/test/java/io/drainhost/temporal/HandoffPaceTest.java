package io.drainhost.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HandoffPaceTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void withNothingAcceptedTheRateIsTheProbe() {
    assertEquals(HandoffPace.PROBE, new HandoffPace().rate(0), 1e-9);
  }

  @Test
  void theRateFollowsWhatWasAcceptedInTheLastSecond() {
    HandoffPace pace = new HandoffPace();
    for (int i = 0; i < 10; i++) {
      pace.accepted(i * 50 * MS);
    }
    assertEquals(HandoffPace.GAIN * 10 + HandoffPace.PROBE, pace.rate(500 * MS), 1e-9);
    // A second later those acceptances no longer count: refusals since bring the rate down.
    assertEquals(HandoffPace.PROBE, pace.rate(1500 * MS), 1e-9);
    HandoffPace steady = new HandoffPace(() -> 0.5);
    assertEquals(TimeUnit.SECONDS.toNanos(1) / (long) HandoffPace.PROBE, steady.intervalNanos(0));
  }

  /**
   * Three hosts against one namespace that accepts 12 calls/s (a token bucket, as Temporal's, which
   * charges nothing for a refused call): together they take nearly all it accepts, and each gets a
   * fair share.
   */
  @Test
  void hostsSharingANamespaceTakeWhatItAcceptsInFairShares() {
    double limit = 12;
    java.util.Random random = new java.util.Random(42);
    HandoffPace[] hosts = {
      new HandoffPace(random::nextDouble),
      new HandoffPace(random::nextDouble),
      new HandoffPace(random::nextDouble)
    };
    long[] next = {0, 7 * MS, 13 * MS};
    double tokens = 0;
    int[] accepted = new int[hosts.length];
    long end = TimeUnit.SECONDS.toNanos(60);
    for (long now = 0; now < end; now += MS) {
      tokens = Math.min(limit, tokens + limit / 1000);
      for (int h = 0; h < hosts.length; h++) {
        if (now >= next[h]) {
          if (tokens >= 1) {
            tokens -= 1;
            hosts[h].accepted(now);
            if (now > end / 2) {
              accepted[h]++;
            }
          }
          next[h] = now + hosts[h].intervalNanos(now);
        }
      }
    }
    int total = accepted[0] + accepted[1] + accepted[2];
    double perSecond = total / 30.0;
    assertTrue(perSecond > 0.95 * limit, "took " + perSecond + " of " + limit + " calls/s");
    for (int a : accepted) {
      assertTrue(a > total / 4, "a host got its share: " + a + " of " + total);
    }
  }
}
