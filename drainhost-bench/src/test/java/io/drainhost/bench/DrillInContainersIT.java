package io.drainhost.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.ContainerEngine;
import io.drainhost.testing.TemporalServer;
import io.drainhost.testing.TemporalServers;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The drill with its hosts as containers of the image built from the Dockerfile, run from the task
 * definition and replaced as ECS replaces tasks, against the real server: one round, then a deploy
 * of a breaking image that never turns healthy, where the replacement stops. Needs a container
 * engine and HAProxy (CI has both and requires them).
 */
class DrillInContainersIT {
  @Test
  void containersReplacedAsEcsReplacesTasksLoseNothingAndABreakingImageNeverTurnsHealthy() {
    boolean required = System.getenv("DRAINHOST_REQUIRE_HAPROXY") != null;
    assumeTrue(required || HaProxy.installed(), "haproxy not installed; drill skipped");
    ContainerEngine.require(DrillInContainersIT.class);
    TemporalServers.requireAvailable(TemporalServer.Kind.TEMPORAL_CLI, getClass());
    Map<String, String> env = new HashMap<>();
    String buildArgs = System.getenv(ContainerEngine.BUILD_ARGS_VARIABLE);
    if (buildArgs != null) {
      env.put(ContainerEngine.BUILD_ARGS_VARIABLE, buildArgs);
    }
    try (ChildProcess drill =
        BenchJar.start(
            "drill-containers",
            env,
            "drill",
            "--hosts",
            "container",
            "--context",
            System.getProperty("drainhost.root", ".."),
            "--rounds",
            "1",
            "--long-every",
            "5",
            "--long-seconds",
            "15",
            "--server",
            "real")) {
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
      assertEquals(
          Long.parseLong(row.group(3)) + Long.parseLong(row.group(4)),
          Long.parseLong(row.group(5)),
          "every started workflow completed");
      for (String status : row.group(2).split(", ")) {
        assertEquals("201", status.split("=")[0], "clients saw only 201s: " + row.group(2));
      }
      for (int host = 1; host <= 3; host++) {
        assertTrue(
            Pattern.compile("\\| 1 \\| host" + host + " \\(container\\) \\| \\d+ \\| 0 \\|")
                .matcher(out)
                .find(),
            "host" + host + " replaced, the old container exited 0: " + out);
      }
      assertTrue(
          Pattern.compile(
                  "\\| deploy \\| host2 \\(breaking image\\) \\| \\d+ \\| 4 \\| healthy in HAProxy:"
                      + " no, polled: no \\| replacement stopped there \\|")
              .matcher(out)
              .find(),
          "the breaking image never turned healthy: " + out);
      System.out.println(out.substring(out.indexOf("drill: 3 containers")));
    }
  }
}
