package io.drainhost.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ActivityAttemptTest {
  private static final long S = TimeUnit.SECONDS.toNanos(1);

  @Test
  void theHeartbeatDeadlineIsTheLastAcceptedHeartbeatPlusTheTimeout() {
    ActivityAttempt a = new ActivityAttempt(Thread.currentThread(), Duration.ofSeconds(10), 0);
    assertEquals(10 * S, a.heartbeatDeadline().getAsLong());
    a.heartbeatAccepted(8 * S);
    assertEquals(18 * S, a.heartbeatDeadline().getAsLong());
    a.heartbeatAccepted(7 * S); // an older answer arriving late moves nothing back
    assertEquals(18 * S, a.heartbeatDeadline().getAsLong());
    assertTrue(
        new ActivityAttempt(Thread.currentThread(), Duration.ZERO, 0)
            .heartbeatDeadline()
            .isEmpty());
  }

  @Test
  void aHeartbeatEverySecondMayWaitUntilItsNextCouldBeTooLate() {
    ActivityAttempt a = new ActivityAttempt(Thread.currentThread(), Duration.ofSeconds(10), 0);
    int waited = 0;
    for (long t = S; t <= 10 * S; t += S) {
      if (!a.heartbeatMayWait(t)) {
        // the one that goes: accepted a round trip later
        a.recordHeartbeat(t, t);
        a.heartbeatAccepted(t);
        break;
      }
      a.recordHeartbeat(t, t);
      waited++;
    }
    // 1..6 s wait (the next at 7 s keeps 3 s of headroom before 10 s), 7 s goes.
    assertEquals(6, waited);
    assertEquals(17 * S, a.heartbeatDeadline().getAsLong());
  }

  @Test
  void aSlowHeartbeatNeverWaitsForItsNextWouldComeTooLate() {
    ActivityAttempt a = new ActivityAttempt(Thread.currentThread(), Duration.ofSeconds(10), 0);
    assertFalse(a.heartbeatMayWait(5 * S), "next at 10 s: at the deadline");
  }

  @Test
  void withoutAHeartbeatTimeoutNothingWaits() {
    ActivityAttempt a = new ActivityAttempt(Thread.currentThread(), Duration.ZERO, 0);
    assertFalse(a.heartbeatMayWait(S));
  }
}
