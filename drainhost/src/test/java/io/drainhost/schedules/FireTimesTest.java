package io.drainhost.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class FireTimesTest {
  @Test
  void anIntervalFiresAtWholeMultiplesOfItSinceTheEpochAsTemporalDoes() {
    FireTimes every10s = FireTimes.every(Duration.ofSeconds(10));
    assertEquals(
        Instant.parse("2026-11-25T07:20:10Z"),
        every10s.after(Instant.parse("2026-11-25T07:20:03Z")));
    assertEquals(
        Instant.parse("2026-11-25T07:20:20Z"),
        every10s.after(Instant.parse("2026-11-25T07:20:10Z")));
    assertEquals(
        List.of(Instant.parse("2026-11-25T07:20:10Z"), Instant.parse("2026-11-25T07:20:20Z")),
        every10s.between(
            Instant.parse("2026-11-25T07:20:00Z"), Instant.parse("2026-11-25T07:20:20Z"), 10));
  }

  @Test
  void aCronFiresAtItsMinutesInItsTimeZoneAcrossDaylightSaving() {
    FireTimes berlin = FireTimes.cron("20 7 * * *", ZoneId.of("Europe/Berlin"));
    // winter: UTC+1; summer: UTC+2
    assertEquals(
        Instant.parse("2026-11-26T06:20:00Z"), berlin.after(Instant.parse("2026-11-25T06:20:00Z")));
    assertEquals(
        Instant.parse("2026-07-01T05:20:00Z"), berlin.after(Instant.parse("2026-06-30T06:00:00Z")));
  }

  @Test
  void betweenKeepsTheNewestAndFirstKeepsTheOldestWithinTheirLimits() {
    FireTimes everyMinute = FireTimes.every(Duration.ofMinutes(1));
    Instant from = Instant.parse("2026-11-25T00:00:00Z");
    Instant to = Instant.parse("2026-11-25T01:00:00Z");
    assertEquals(
        List.of(Instant.parse("2026-11-25T00:59:00Z"), Instant.parse("2026-11-25T01:00:00Z")),
        everyMinute.between(from, to, 2));
    assertEquals(
        List.of(Instant.parse("2026-11-25T00:00:00Z"), Instant.parse("2026-11-25T00:01:00Z")),
        everyMinute.first(from, to, 2));
  }
}
