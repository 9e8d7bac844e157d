package io.drainhost.fleet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.samples.BenchmarkInput;
import io.drainhost.support.Api;
import io.drainhost.support.Fleets;
import io.drainhost.support.Histories;
import io.drainhost.support.Hosts;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import io.drainhost.testing.TemporalServers;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A fleet stopping at once against a rate-limited namespace, as an ECS deployment with
 * minimumHealthyPercent 50 does: three hosts, each with 100 activities that will not finish in the
 * drain, SIGTERMed in the same instant. Their 300 hand-offs exceed the namespace's rate; the
 * refused calls are retried with backoff, every attempt is handed back, every host exits 0 inside
 * its stop timeout and every run completes on the replacement hosts.
 */
@org.junit.jupiter.api.Tag(io.drainhost.support.Timing.TAG)
class FleetDrainIT {
  private static final int HOSTS = 3;
  private static final int STRAGGLERS = 100;

  /**
   * Low enough that 300 hand-off calls in one burst are throttled (each host's report shows
   * retries), high enough for the fleet to start its 300 runs in seconds. Test setting only.
   */
  private static final String NAMESPACE_RPS = "100";

  private static final int ACTIVITY_MILLIS = 40_000;

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(16);

  /** The awslogs max-buffer-size of ecs/task-definition.json (4m), in bytes. */
  private static final int AWSLOGS_BUFFER = awslogsBuffer();

  @Test
  void threeHostsStoppedAtOnceUnderANamespaceRateLimitHandEveryStragglerBack() throws Exception {
    TemporalServers.requireAvailable(TemporalServer.Kind.TEMPORAL_CLI, getClass());
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> queues = new ArrayList<>();
    List<ChildProcess> hosts = new ArrayList<>();
    List<ChildProcess> replacements = new ArrayList<>();
    List<String> workflowIds = new ArrayList<>();
    try (TemporalServer server =
            TemporalServer.startWithDynamicConfig(Map.of("frontend.namespaceRPS", NAMESPACE_RPS));
        Histories histories = new Histories(server.address())) {
      for (int h = 0; h < HOSTS; h++) {
        String queue = "fleet-" + h + "-" + run;
        queues.add(queue);
        hosts.add(ChildProcess.start("fleet-" + h, env(server, queue)));
      }
      List<Integer> ports = new ArrayList<>();
      for (ChildProcess host : hosts) {
        ports.add(Hosts.awaitPolling(host));
      }
      for (int h = 0; h < HOSTS; h++) {
        for (int i = 0; i < STRAGGLERS; i++) {
          String id = "straggler-" + h + "-" + i + "-" + run;
          histories
              .client()
              .newUntypedWorkflowStub(
                  "BenchmarkWorkflow",
                  WorkflowOptions.newBuilder()
                      .setTaskQueue(queues.get(h))
                      .setWorkflowId(id)
                      .build())
              // Long enough to be running on every host at once while the throttled fleet
              // starts them all, short enough to finish on the replacement.
              .start(new BenchmarkInput("multi-activity", 1, ACTIVITY_MILLIS));
          workflowIds.add(id);
        }
      }
      System.out.printf("fleet drain: %d runs started%n", workflowIds.size());
      for (int h = 0; h < HOSTS; h++) {
        int port = ports.get(h);
        await("host " + h + " runs its " + STRAGGLERS + " activities")
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> Api.activitiesInFlight(port) == STRAGGLERS);
      }

      System.out.printf("fleet drain: every host runs %d activities%n", STRAGGLERS);
      List<Integer> before = new ArrayList<>();
      hosts.forEach(h -> before.add(bytes(h.output())));
      long sigterm = System.nanoTime();
      Fleets.signalAll(hosts);
      for (ChildProcess host : hosts) {
        int exit = host.awaitExit(STOP_TIMEOUT.plusSeconds(5));
        Duration took = Duration.ofNanos(System.nanoTime() - sigterm);
        assertEquals(0, exit, host.tail());
        assertTrue(took.compareTo(STOP_TIMEOUT) < 0, host.name() + " exited after " + took);
      }
      // What a host writes from SIGTERM to its exit must fit the awslogs buffer of the shipped
      // task definition (non-blocking, max-buffer-size 4m) many times over, so the drain report,
      // its last line, reaches CloudWatch even when nothing is shipped during the drain.
      for (int h = 0; h < HOSTS; h++) {
        int drainLog = bytes(hosts.get(h).output()) - before.get(h);
        System.out.printf(
            "fleet drain: %s wrote %d bytes of log from SIGTERM to exit (%d stragglers)%n",
            hosts.get(h).name(), drainLog, STRAGGLERS);
        assertTrue(drainLog < AWSLOGS_BUFFER / 8, drainLog + " bytes in the drain");
      }
      int retries = 0;
      for (ChildProcess host : hosts) {
        String report = host.awaitLog("(drain report: .*)", Duration.ofSeconds(1));
        assertEquals(STRAGGLERS, Fleets.field(report, "handedOff"), report);
        assertEquals(0, Fleets.field(report, "handoffFailed"), report);
        retries += Fleets.field(report, "handoffRetries");
        System.out.printf("fleet drain: %s %s%n", host.name(), report);
      }
      // The unpaced burst was throttled: without the retries some hand-offs would have failed.
      assertTrue(retries > 0, "no hand-off call was throttled: the limit did not bind");

      for (int h = 0; h < HOSTS; h++) {
        replacements.add(ChildProcess.start("replacement-" + h, env(server, queues.get(h))));
      }
      await("every run completes on the replacement hosts")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .until(() -> Fleets.completed(histories, queues) == workflowIds.size());
      for (String id : workflowIds.subList(0, 5)) {
        assertTrue(
            histories.workers(id).size() >= 2,
            id + " ran again on a replacement: " + histories.workers(id));
      }
      Hosts.stopCleanly(replacements.toArray(ChildProcess[]::new));
    } finally {
      hosts.forEach(ChildProcess::close);
      replacements.forEach(ChildProcess::close);
    }
  }

  private static int awslogsBuffer() {
    try {
      String size =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(
                  java.nio.file.Path.of(System.getProperty("drainhost.root", ".."))
                      .resolve("ecs/task-definition.json")
                      .toFile())
              .at("/containerDefinitions/0/logConfiguration/options/max-buffer-size")
              .asText();
      assertTrue(size.matches("[0-9]+m"), "max-buffer-size in MiB: " + size);
      return Integer.parseInt(size.substring(0, size.length() - 1)) * 1024 * 1024;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int bytes(String output) {
    return output.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private static Map<String, String> env(TemporalServer server, String queue) {
    return LocalHosts.hostEnv(
        server.port(),
        queue,
        Map.of(
            "DRAINHOST_LOG_FORMAT", "json",
            "DRAINHOST_SHUTDOWN_TIMEOUT", "2s",
            "DRAINHOST_STOP_TIMEOUT", STOP_TIMEOUT.toSeconds() + "s",
            "DRAINHOST_HANDOFF_MARGIN", "3s",
            "DRAINHOST_DRAIN_POLICY", "*=finish"));
  }
}
