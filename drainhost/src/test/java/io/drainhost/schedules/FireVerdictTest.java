package io.drainhost.schedules;

import static io.drainhost.schedules.FireVerdict.LATE;
import static io.drainhost.schedules.FireVerdict.ON_TIME;
import static io.drainhost.schedules.FireVerdict.SKIPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FireVerdictTest {
  static final FireTimes EVERY_10S = FireTimes.every(Duration.ofSeconds(10));
  static final Duration TOLERANCE = Duration.ofSeconds(3);
  static final Instant FIRE = Instant.parse("2026-11-25T07:20:00Z");

  @Test
  void aRunThatBeginsWithinTheToleranceIsOnTimeUnderEveryPolicy() {
    for (MisfirePolicy p : MisfirePolicy.values()) {
      assertEquals(ON_TIME, decide(p, FIRE.plusSeconds(3)));
    }
  }

  @Test
  void skipNeverRunsALateFire() {
    assertEquals(SKIPPED, decide(MisfirePolicy.SKIP, FIRE.plusMillis(3001)));
    assertEquals(SKIPPED, decide(MisfirePolicy.SKIP, FIRE.plusSeconds(3600)));
  }

  @Test
  void catchupAllRunsEveryLateFire() {
    assertEquals(LATE, decide(MisfirePolicy.CATCHUP_ALL, FIRE.plusSeconds(4)));
    assertEquals(LATE, decide(MisfirePolicy.CATCHUP_ALL, FIRE.plusSeconds(3600)));
  }

  @Test
  void catchupLatestRunsALateFireOnlyWhileTheNextFireIsNotLateToo() {
    // next fire 07:20:10, late from 07:20:13 on
    assertEquals(LATE, decide(MisfirePolicy.CATCHUP_LATEST, FIRE.plusSeconds(5)));
    assertEquals(LATE, decide(MisfirePolicy.CATCHUP_LATEST, FIRE.plusSeconds(12)));
    assertEquals(SKIPPED, decide(MisfirePolicy.CATCHUP_LATEST, FIRE.plusSeconds(14)));
  }

  private static FireVerdict decide(MisfirePolicy policy, Instant now) {
    return FireVerdict.decide(policy, TOLERANCE, EVERY_10S, FIRE, now);
  }
}
