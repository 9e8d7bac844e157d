package io.drainhost.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.testing.ChildProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The `bench` command as a user runs it: a child JVM, its exit code and its table. */
class BenchIT {
  @Test
  void modestRateAgainstTheEmbeddedServerMeetsItsThresholds() {
    try (ChildProcess bench =
        BenchJar.start(
            "bench-ok",
            Map.of(),
            "bench",
            "--pattern",
            "child-workflow",
            "--rate",
            "5",
            "--duration",
            "6s",
            "--ramp-up",
            "1s",
            "--max-p99-latency",
            "20s",
            "--min-throughput",
            "1")) {
      int exit = bench.awaitExit(Duration.ofMinutes(3));
      String out = bench.output();
      assertEquals(0, exit, out);
      assertTrue(out.contains("| started | completed |"), out);
      assertTrue(out.contains("threshold --max-p99-latency 20000 ms: met"), out);
      assertTrue(out.contains("threshold --min-throughput 1.0/s: met"), out);
      assertTrue(out.contains("errors: none"), out);
    }
  }

  @Test
  void impossibleThresholdExitsNonZero() {
    try (ChildProcess bench =
        BenchJar.start(
            "bench-impossible",
            Map.of(),
            "bench",
            "--pattern",
            "greeting",
            "--rate",
            "5",
            "--duration",
            "3s",
            "--ramp-up",
            "0s",
            "--max-p99-latency",
            "1ms")) {
      int exit = bench.awaitExit(Duration.ofMinutes(3));
      String out = bench.output();
      assertEquals(4, exit, out);
      assertTrue(out.contains("threshold --max-p99-latency 1 ms: NOT MET"), out);
    }
  }

  @Test
  void badOptionsAreAClearErrorNotAStackTrace() {
    try (ChildProcess bench =
        BenchJar.start("bench-bad", Map.of(), "bench", "--pattern", "teleport")) {
      assertEquals(2, bench.awaitExit(Duration.ofSeconds(60)));
      assertTrue(bench.output().contains("unknown pattern 'teleport'"), bench.output());
    }
  }

  @Test
  void everyMeasuringCommandAnswersHelp() {
    for (String command :
        new String[] {
          "bench",
          "bench-drain",
          "bench-overhead",
          "bench-outage",
          "bench-footprint",
          "bench-replay",
          "drill"
        }) {
      for (String flag : new String[] {"--help", "-h"}) {
        try (ChildProcess help = BenchJar.start("help", Map.of(), command, flag)) {
          assertEquals(0, help.awaitExit(Duration.ofSeconds(60)), help.output());
          assertTrue(help.output().contains("Usage: drainhost-bench " + command), help.output());
        }
      }
    }
  }
}
