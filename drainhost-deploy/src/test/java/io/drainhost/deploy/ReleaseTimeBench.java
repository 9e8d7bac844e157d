package io.drainhost.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drainhost.testing.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Not a test CI runs (no IT suffix): the time from a 1-step release's start to its exit with the
 * version current, for the tool built before the release became a workflow and for this one,
 * alternating, on one deployment (real Temporal, moto, real hosts).
 *
 * <pre>
 * mvn -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dit.test=ReleaseTimeBench -Dit.failIfNoSpecifiedTests=false \
 *   -Dbench.before.jar=/path/to/older/drainhost-deploy.jar
 * </pre>
 */
class ReleaseTimeBench extends DeploySuite {
  @Test
  void aOneStepReleaseFromStartToCurrentBeforeAndAfter() {
    String beforeJar = System.getProperty("bench.before.jar", "");
    assumeTrue(!beforeJar.isEmpty() && Files.exists(Path.of(beforeJar)), "-Dbench.before.jar");
    Path before = Path.of(beforeJar);
    Path after = ChildProcess.locate("drainhost-deploy.jar", "drainhost-deploy.jar");
    int rounds = Integer.getInteger("bench.rounds", 3);
    String cluster = "c-" + UUID.randomUUID().toString().substring(0, 6);
    String d = "bench" + UUID.randomUUID().toString().substring(0, 6);
    String[] common = {"--deployment", d, "--cluster", cluster};
    Map<String, String> variants = new HashMap<>();
    for (int i = 1; i <= 2 * rounds + 1; i++) {
      variants.put("v" + i, i == 1 ? "v1" : "v2");
    }
    try (EcsFleet fleet =
        new EcsFleet(ecs(), cluster, temporal.port(), "bench-" + UUID.randomUUID(), variants)) {
      fleet.ecs.createCluster(b -> b.clusterName(cluster));
      assertEquals(
          0, run(tool(firstRelease(DurableReleaseIT.release(common, "v1", "--desired", "1")))));
      Map<String, List<Long>> times = new HashMap<>();
      int n = 2;
      for (int round = 0; round < rounds; round++) {
        for (String label : List.of("before", "after")) {
          String build = "v" + n++;
          long t0 = System.nanoTime();
          ChildProcess p =
              ChildProcess.startJar(
                  label.equals("before") ? before : after,
                  "deploy-" + label,
                  toolEnv(),
                  DurableReleaseIT.release(common, build, "--steps", "50:5s"));
          assertEquals(0, run(p), p.output());
          long ms = (System.nanoTime() - t0) / 1_000_000;
          times.computeIfAbsent(label, k -> new ArrayList<>()).add(ms);
          String inTemporal = "";
          if (label.equals("after")) {
            io.temporal.api.workflow.v1.WorkflowExecutionInfo info =
                client
                    .newUntypedWorkflowStub(
                        io.drainhost.deploy.workflow.ReleaseRequest.workflowId(cluster, d))
                    .describe()
                    .getRawDescription()
                    .getWorkflowExecutionInfo();
            long release =
                com.google.protobuf.util.Timestamps.toMillis(info.getCloseTime())
                    - com.google.protobuf.util.Timestamps.toMillis(info.getStartTime());
            times.computeIfAbsent("workflow", k -> new ArrayList<>()).add(release);
            inTemporal = " (the workflow: " + release + " ms from its start to its close)";
          }
          System.out.println("bench: " + label + " " + build + " " + ms + " ms" + inTemporal);
        }
      }
      long b = median(times.get("before"));
      long a = median(times.get("after"));
      System.out.printf(
          "bench: 1-step release, start to current (command exit): before median %d ms %s,"
              + " after median %d ms %s, ratio %.2f; the release workflow itself: median %d ms"
              + " %s%n",
          b,
          times.get("before"),
          a,
          times.get("after"),
          (double) a / b,
          median(times.get("workflow")),
          times.get("workflow"));
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}
