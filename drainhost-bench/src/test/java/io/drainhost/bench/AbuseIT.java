package io.drainhost.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.TemporalServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The abuse suite: one host (the Java test server in a process of its own, loopback) under pattern
 * bombs in every patterned field, 2,000 concurrent long polls, 500 slow connections and 10,000
 * malformed requests, each bounded in count and time. While each runs, /health and /health/live
 * answer 200, /metrics scrapes, and an activity that fits finishes; each attack gets the answers it
 * should. The figures are {@code bench-abuse}'s; the bounds here are generous, the bench prints the
 * real ones.
 */
class AbuseIT {
  @Test
  void healthAndWorkHoldWhateverTheClientsDo() {
    AbuseBenchmark bench = new AbuseBenchmark(2000, 500, Duration.ofSeconds(8), 10_000, 65_536);
    try (TemporalServer temporal = TemporalServer.start(TemporalServer.Kind.JAVA_TEST_SERVER);
        ChildProcess host = AbuseBenchmark.host(temporal, Map.of())) {
      Abuse abuse = new Abuse(host.awaitHttpPort(), host.pid());
      List<Abuse.Figures> rows = bench.attacks(abuse);
      AbuseBenchmark.print(rows);
      for (Abuse.Figures f : rows) {
        String what = f.attack() + ": " + f;
        assertEquals(0, f.healthFailures(), "/health and /health/live answered 200: " + what);
        assertTrue(f.p99() < 2_000, "/health answered within 2 s: " + what);
        assertTrue(f.metricsScrapes() > 0 && f.metricsFailures() == 0, "/metrics: " + what);
        assertTrue(f.activityFinished(), "the fitting activity finished: " + what);
        assertTrue(
            f.answers().keySet().stream().noneMatch(k -> k.equals("500") || k.startsWith("no ")),
            "no 500 and no request left unanswered: " + what);
      }
      Abuse.Figures bombs = rows.get(1);
      // A bomb is refused, unless the field takes any text (a name that is not blank): started.
      assertTrue(
          java.util.Set.of("400", "201").containsAll(bombs.answers().keySet())
              && bombs.answers().getOrDefault("400", 0) > 0,
          bombs.toString());
      assertTrue(
          bombs.slowestAnswerMillis() < 5_000,
          "linear-time validation (a 32k bomb took 3 s before): " + bombs);
      Abuse.Figures polls = rows.get(2);
      assertEquals(Map.of("200 COMPLETED", 2000), polls.answers(), "every waiter answered");
      assertTrue(polls.peakThreads() < 400, "waits hold no thread: " + polls.peakThreads());
      Abuse.Figures malformed = rows.get(4);
      assertEquals(
          10_000,
          malformed.answers().values().stream().mapToInt(Integer::intValue).sum(),
          malformed.toString());
      host.signal("TERM");
      assertEquals(0, host.awaitExit(Duration.ofSeconds(60)), host.tail());
    }
  }
}
