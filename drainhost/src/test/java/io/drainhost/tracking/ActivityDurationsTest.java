package io.drainhost.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ActivityDurationsTest {
  @Test
  void keepsTheNewestDurationsOfEachTypeOldestFirst() {
    ActivityDurations d = new ActivityDurations();
    for (int i = 1; i <= ActivityDurations.PER_TYPE + 3; i++) {
      d.record("Render", Duration.ofMillis(i));
    }
    long[] kept = d.millis("Render");
    assertEquals(ActivityDurations.PER_TYPE, kept.length);
    assertEquals(4, kept[0]);
    assertEquals(ActivityDurations.PER_TYPE + 3, kept[kept.length - 1]);
    assertArrayEquals(new long[0], d.millis("Unknown"));
  }

  @Test
  void forgetsTheLeastRecentlyCompletedTypeBeyondTheLimit() {
    ActivityDurations d = new ActivityDurations();
    for (int t = 0; t <= ActivityDurations.TYPES; t++) {
      d.record("T" + t, Duration.ofMillis(t));
    }
    assertEquals(0, d.millis("T0").length, "the oldest type is forgotten");
    assertEquals(1, d.millis("T" + ActivityDurations.TYPES).length);
  }
}
