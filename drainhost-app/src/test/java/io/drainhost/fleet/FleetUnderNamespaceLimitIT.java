package io.drainhost.fleet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.samples.SleepInput;
import io.drainhost.support.Api;
import io.drainhost.support.Fleets;
import io.drainhost.support.Histories;
import io.drainhost.support.Hosts;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.DelayingProxy;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import io.drainhost.testing.TemporalServers;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A fleet whose steady state is over its namespace's rate limit, stopped at once: three hosts with
 * 40 heartbeating stragglers each (the sample sleep activity: a heartbeat a second, sent every 8 s
 * by the SDK's throttle for its 10 s heartbeat timeout), policy {@code handoff}, shutdown 5 s, stop
 * 15 s, one {@code kill -TERM} for all three, and a catcher host polling the same queue. The
 * throttling shows before the stop (metric, {@code /health}) in a few log lines without a stack
 * trace; the drain stops departing attempts' heartbeats and paces its hand-offs to what the
 * namespace accepts; what cannot be handed back is named, and every run completes. At 20 rps all
 * 120 are handed back in most runs; the floor the issue set is 114, and a host that misses one
 * exits 3 naming a cause of the limit (one run of the whole suite here: 119, one attempt closed by
 * Temporal after its early hand-off's answer came too late). At 40 rps every host exits 0. Both
 * with Temporal 50 ms away, as a task on ECS has it; the same fleet on loopback (0 ms) was a third
 * case until CI's budget needed its two minutes: FleetDrainIT stops a fleet on loopback under a
 * limit.
 */
@org.junit.jupiter.api.Tag(io.drainhost.support.Timing.TAG)
class FleetUnderNamespaceLimitIT {
  private static final int HOSTS = 3;
  private static final int STRAGGLERS = 40;

  private static final Pattern FAILED_CAUSE = Pattern.compile(" handoffFailedCause=(\\S+) ");

  private static final Set<String> THROTTLING_CAUSES =
      Set.of("throttled", "timed_out", "unreachable");

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
  private static final Pattern STACK_TRACE = Pattern.compile("(?m)^\\s+at [a-z]+\\.");

  /**
   * Each activity's sleep ({@code sleepSeconds}): long enough to run through the throttled start of
   * all 120 (20–30 s at 20 rps, about half at 40) and the 10 s watched before the stop, with room
   * to spare; the catcher does the rest from the handed-off checkpoint, and the suite waits for it.
   */
  @ParameterizedTest(name = "namespaceRPS={0}, Temporal {1} ms away")
  @CsvSource({"20, 50, 75", "40, 50, 50"})
  void aFleetStoppedAtOnceHandsItsStragglersBackWithinTheNamespacesLimit(
      int namespaceRps, int roundTripMs, int sleepSeconds) throws Exception {
    TemporalServers.requireAvailable(TemporalServer.Kind.TEMPORAL_CLI, getClass());
    String queue = "limit-" + UUID.randomUUID().toString().substring(0, 8);
    List<ChildProcess> hosts = new ArrayList<>();
    ChildProcess catcher = null;
    List<String> workflowIds = new ArrayList<>();
    try (TemporalServer server =
            TemporalServer.startWithDynamicConfig(
                Map.of("frontend.namespaceRPS", Integer.toString(namespaceRps)));
        DelayingProxy far = DelayingProxy.start(server.port(), Duration.ofMillis(roundTripMs / 2));
        Histories histories = new Histories(server.address())) {
      int temporalPort = roundTripMs == 0 ? server.port() : far.port();
      List<Integer> ports = new ArrayList<>();
      for (int h = 0; h < HOSTS; h++) {
        hosts.add(ChildProcess.start("limit-" + h, hostEnv(temporalPort, queue, STRAGGLERS)));
      }
      for (ChildProcess host : hosts) {
        ports.add(Hosts.awaitPolling(host));
      }
      for (int i = 0; i < HOSTS * STRAGGLERS; i++) {
        String id = "limit-" + i + "-" + queue;
        histories
            .client()
            .newUntypedWorkflowStub(
                "SleepWorkflow",
                WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(id).build())
            .start(new SleepInput(sleepSeconds));
        workflowIds.add(id);
      }
      long started = System.nanoTime();
      boolean[] throttledSeen = new boolean[HOSTS];
      for (int h = 0; h < HOSTS; h++) {
        int port = ports.get(h);
        await("host " + h + " runs " + STRAGGLERS + " activities")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(
                () -> {
                  sampleThrottling(ports, throttledSeen);
                  return Api.activitiesInFlight(port) == STRAGGLERS;
                });
      }
      System.out.printf(
          "namespace limit %d rps, %d ms: %d activities running after %d ms%n",
          namespaceRps, roundTripMs, HOSTS * STRAGGLERS, (System.nanoTime() - started) / 1_000_000);
      // Polls the same queue, ready to take every next attempt, as a new task of a deployment.
      catcher = ChildProcess.start("catcher", hostEnv(temporalPort, queue, 200));
      Hosts.awaitPolling(catcher);
      long steady = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < steady) {
        sampleThrottling(ports, throttledSeen);
        ChildProcess.sleep(Duration.ofMillis(500));
      }
      List<String> before = new ArrayList<>();
      for (int h = 0; h < HOSTS; h++) {
        before.add(throttleSeen(ports.get(h)) + " /health showed it: " + throttledSeen[h]);
      }
      System.out.printf(
          "namespace limit %d rps, %d ms: before the stop %s%n", namespaceRps, roundTripMs, before);
      if (namespaceRps == 20) {
        for (int h = 0; h < HOSTS; h++) {
          assertTrue(
              throttledSeen[h] && !before.get(h).startsWith("refused=0 "),
              "throttling shows in the metric and /health before the stop: " + before.get(h));
        }
      }

      long sigterm = System.nanoTime();
      Fleets.signalAll(hosts);
      int handedOff = 0;
      List<Integer> exits = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      for (ChildProcess host : hosts) {
        int exit = host.awaitExit(STOP_TIMEOUT.plusSeconds(5));
        Duration took = Duration.ofNanos(System.nanoTime() - sigterm);
        exits.add(exit);
        String report = host.awaitLog("(drain report: .*)", Duration.ofSeconds(1));
        System.out.printf(
            "namespace limit %d rps, %d ms: %s exit %d after %d ms: %s%n",
            namespaceRps, roundTripMs, host.name(), exit, took.toMillis(), report);
        keepLog(host, namespaceRps + "rps-" + roundTripMs + "ms");
        handedOff += Fleets.field(report, "handedOff");
        if (took.compareTo(STOP_TIMEOUT) >= 0) {
          problems.add(host.name() + " exited after " + took.toMillis() + " ms");
        }
        // Over the limit, an attempt may still miss its hand-off: refused to the end (throttled),
        // closed by Temporal first (timed_out), or its last call unanswered (unreachable). The
        // exit then says so (3), with the cause named; the fleet's floor is asserted below.
        if (exit != 0 && !namesOnlyThrottling(report)) {
          problems.add(host.name() + " exited " + exit + " without naming throttling: " + report);
        }
        String log = host.output();
        long throttleLines = log.lines().filter(l -> l.contains("temporal throttling")).count();
        if (throttleLines > 5) {
          problems.add(host.name() + " logged " + throttleLines + " throttle lines");
        }
        if (STACK_TRACE.matcher(log).find()) {
          problems.add(host.name() + " logged a stack trace");
        }
      }
      System.out.printf(
          "namespace limit %d rps, %d ms: %d of %d handed back, exits %s%n",
          namespaceRps, roundTripMs, handedOff, HOSTS * STRAGGLERS, exits);
      assertEquals(List.of(), problems);
      assertTrue(handedOff >= 114, handedOff + " of " + HOSTS * STRAGGLERS + " handed back");
      if (namespaceRps >= 40) {
        assertEquals(List.of(0, 0, 0), exits, "a steady state under the limit stops cleanly");
      }

      await("every run completes")
          .atMost(Duration.ofSeconds(sleepSeconds + 60))
          .pollInterval(Duration.ofSeconds(2))
          .ignoreExceptions()
          .until(() -> Fleets.completed(histories, List.of(queue)) == workflowIds.size());
      Hosts.stopCleanly(catcher);
      keepLog(catcher, namespaceRps + "rps-" + roundTripMs + "ms");
    } finally {
      hosts.forEach(ChildProcess::close);
      if (catcher != null) {
        catcher.close();
      }
    }
  }

  private static Map<String, String> hostEnv(int temporalPort, String queue, int activitySlots) {
    Map<String, String> extra = new HashMap<>();
    extra.put("DRAINHOST_SHUTDOWN_TIMEOUT", "5s");
    extra.put("DRAINHOST_STOP_TIMEOUT", STOP_TIMEOUT.toSeconds() + "s");
    extra.put("DRAINHOST_DRAIN_POLICY", "*=handoff");
    extra.put("DRAINHOST_ACTIVITY_SLOTS", Integer.toString(activitySlots));
    return LocalHosts.hostEnv(temporalPort, queue, extra);
  }

  private static void sampleThrottling(List<Integer> ports, boolean[] seen) {
    for (int h = 0; h < ports.size(); h++) {
      try {
        if (RestAssured.given()
                .port(ports.get(h))
                .get("/health")
                .jsonPath()
                .getMap("temporalThrottled")
            != null) {
          seen[h] = true;
        }
      } catch (RuntimeException e) {
        // a host busy starting: sampled again
      }
    }
  }

  /** The host's whole log, kept under target/ for reading after the run. */
  private static void keepLog(ChildProcess host, String scenario) {
    try {
      java.nio.file.Path dir = java.nio.file.Path.of("target", "fleet-limit");
      java.nio.file.Files.createDirectories(dir);
      java.nio.file.Files.writeString(
          dir.resolve(scenario + "-" + host.name() + ".log"), host.output());
    } catch (java.io.IOException e) {
      System.out.println("could not keep the log of " + host.name() + ": " + e);
    }
  }

  /** What the host shows of throttling: its counter's total and /health's temporalThrottled. */
  private static String throttleSeen(int port) {
    String scrape = RestAssured.given().port(port).get("/metrics").asString();
    double refused =
        scrape
            .lines()
            .filter(l -> l.startsWith("drainhost_temporal_throttled_total{"))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .sum();
    JsonPath health = RestAssured.given().port(port).get("/health").jsonPath();
    Map<String, Object> streak = health.getMap("temporalThrottled");
    return "refused=" + (long) refused + " temporalThrottled=" + streak;
  }

  /**
   * Whether the report's failure causes ({@code throttled:5,timed_out:1}) all come of the limit.
   */
  private static boolean namesOnlyThrottling(String report) {
    Matcher m = FAILED_CAUSE.matcher(report);
    return m.find()
        && Arrays.stream(m.group(1).split(","))
            .map(part -> part.split(":")[0])
            .allMatch(THROTTLING_CAUSES::contains);
  }
}
