package io.drainhost.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.TemporalServer;
import io.drainhost.testing.TemporalServers;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rolling-deployment drill in its short configuration: 3 hosts behind HAProxy, 2 rounds, on the
 * Temporal server the subclass names. Needs haproxy; CI installs it and sets
 * DRAINHOST_REQUIRE_HAPROXY so that it cannot be skipped.
 */
abstract class DrillSuite {
  abstract TemporalServer.Kind kind();

  @Test
  void rollingRestartsUnderLoadLoseNothing() {
    boolean required = System.getenv("DRAINHOST_REQUIRE_HAPROXY") != null;
    assumeTrue(
        required || HaProxy.installed(),
        "haproxy not installed (apt-get install haproxy); drill skipped");
    TemporalServers.requireAvailable(kind(), getClass());
    try (ChildProcess drill =
        BenchJar.start(
            "drill",
            // A test of what the drill proves (nothing lost), not of its figures: its hosts
            // start on C1 and a class-data archive (FastChildJvm), as the other suites' do.
            Map.of("DRAINHOST_CHILD_FAST_START", "true"),
            "drill",
            "--hosts",
            "3",
            "--rounds",
            "2",
            "--long-every",
            "5",
            "--long-seconds",
            "15",
            "--server",
            kind().option())) {
      int exit = drill.awaitExit(Duration.ofMinutes(10));
      String out = drill.output();
      assertEquals(0, exit, out);
      assertTrue(out.contains("drill PASSED"), out);
      Matcher row =
          Pattern.compile(
                  "\\| (\\d+) \\| \\{([^}]*)} \\| (\\d+) \\| (\\d+) \\| (\\d+) \\| (\\d+) \\| (\\d+) \\| (\\d+) \\| (\\d+) \\|")
              .matcher(out);
      assertTrue(row.find(), out);
      assertEquals("0", row.group(6), "failed");
      assertEquals("0", row.group(7), "lost");
      assertEquals("0", row.group(9), "workflow tasks failed in any history");
      // The deploy: the build that cannot replay the running work was refused before it polled.
      assertTrue(
          Pattern.compile(
                  "\\| deploy \\| v2-breaking \\(new task\\) \\| \\d+ \\| 4 \\| polled: no \\|")
              .matcher(out)
              .find(),
          out);
      assertTrue(out.contains("host3 (v2-patched)"), "v2-patched rolled out to every host: " + out);
      assertEquals(
          Long.parseLong(row.group(3)) + Long.parseLong(row.group(4)),
          Long.parseLong(row.group(5)),
          "every started workflow completed");
      for (String status : row.group(2).split(", ")) {
        String code = status.split("=")[0];
        // Every client got a 201: no 503, no 5xx, no timeout, no connection error reached one.
        assertEquals("201", code, "clients saw only 201s: " + row.group(2));
      }
      System.out.println(out.substring(out.indexOf("drill: ")));
    }
  }
}
