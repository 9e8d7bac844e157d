package io.drainhost.backlog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.samples.SleepInput;
import io.drainhost.support.Api;
import io.drainhost.support.Histories;
import io.drainhost.support.Hosts;
import io.drainhost.support.Routing;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.EmfSpecification;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import io.drainhost.testing.TemporalServers;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The backlog a service scales on, read from a real server: 50 starts while nothing polls are a
 * backlog of 50 workflow tasks, taken to 0 when polling resumes; 50 runs on a queue whose only host
 * takes one activity at a time leave about 49 activity tasks, taken to 0 by a second host. The same
 * numbers leave as Embedded Metric Format lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BacklogIT {
  private static final int RUNS = 50;

  private TemporalServer server;
  private Histories histories;

  @BeforeAll
  void startTemporal() {
    TemporalServers.requireAvailable(TemporalServer.Kind.TEMPORAL_CLI, getClass());
    server = TemporalServer.start(TemporalServer.Kind.TEMPORAL_CLI);
    histories = new Histories(server.address());
  }

  @AfterAll
  void stopTemporal() {
    if (histories != null) {
      histories.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theBacklogGaugeRisesWhileNothingPollsAndFallsToZeroWhenAHostPolls() throws Exception {
    String queue = "backlog-" + UUID.randomUUID();
    String series = series("activity", queue);
    try (ChildProcess busy =
        ChildProcess.start(
            "backlog-busy",
            env(queue, Map.of("DRAINHOST_ACTIVITY_SLOTS", "1", "DRAINHOST_EMF", "on")))) {
      int port = Hosts.awaitPolling(busy);
      startSleeps(queue, "backlog", 20);
      await("the backlog of activity tasks nobody takes")
          .atMost(Duration.ofSeconds(30))
          .until(() -> backlog(port, series) >= RUNS - 5);
      double seen = backlog(port, series);
      assertTrue(seen <= RUNS, "at most what was started: " + seen);
      System.out.printf("backlog: %.0f activity tasks waiting with one slot busy%n", seen);

      List<String> emf = busy.output().lines().filter(l -> l.startsWith("{\"_aws\"")).toList();
      assertFalse(emf.isEmpty(), "EMF lines on stdout: " + busy.tail());
      for (String line : emf) {
        assertEquals(List.of(), EmfSpecification.violations(line), line);
      }
      assertTrue(
          emf.stream()
              .anyMatch(
                  l ->
                      l.contains("\"TaskQueue\":\"" + queue + "\"")
                          && l.contains("\"Kind\":\"activity\"")),
          emf.toString());

      try (ChildProcess idle = ChildProcess.start("backlog-idle", env(queue, Map.of()))) {
        Hosts.awaitPolling(idle);
        await("the backlog is taken by the host that polls")
            .atMost(Duration.ofSeconds(30))
            .until(() -> backlog(port, series) == 0);
        Hosts.stopCleanly(idle);
      }
      Hosts.stopCleanly(busy);
    }
  }

  /**
   * Nothing polls at all: the host's polling is suspended by load-balancer silence (the ALB stopped
   * checking it), so 50 starts wait as 50 workflow tasks; the ALB checks again, polling resumes and
   * the backlog goes to 0.
   */
  @Test
  void fiftyStartsWithNoWorkerPollingAreABacklogOfFiftyAndPollingTakesItToZero() throws Exception {
    String queue = "backlog-idle-" + UUID.randomUUID();
    String series = series("workflow", queue);
    try (ChildProcess host =
        ChildProcess.start(
            "backlog-suspended", env(queue, Map.of("DRAINHOST_LB_SILENCE_AFTER", "1s")))) {
      int port = Hosts.awaitPolling(host);
      Api.elbCheck(port);
      await("polling suspended by the load balancer's silence")
          .atMost(Duration.ofSeconds(10))
          .until(() -> "suspended".equals(given().port(port).get("/health").path("polling")));
      List<String> ids = startSleeps(queue, "idle", 1);
      await("a backlog of every start")
          .atMost(Duration.ofSeconds(30))
          .until(() -> backlog(port, series) == RUNS);
      System.out.printf(
          "backlog: %.0f workflow tasks with no worker polling%n", backlog(port, series));

      await("polling resumes with the load balancer's checks, and takes the backlog")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                Api.elbCheck(port);
                return backlog(port, series) == 0;
              });
      for (String id : ids) {
        histories.client().newUntypedWorkflowStub(id).getResult(Object.class);
      }
      Hosts.stopCleanly(host);
    }
  }

  /**
   * Backlog per version, as Temporal routes it: v1 current and v2 ramping at 50 %, one host of each
   * taking one activity at a time; {@link #RUNS} pinned runs leave a backlog that each host reports
   * as its own version's share, labelled with its build id, the two together the whole. Then v2 is
   * current: new runs go to v2 alone, and v1, draining, still reports its pinned runs' backlog.
   */
  @Test
  void eachVersionReportsItsOwnShareOfTheBacklogAndADrainingVersionItsPinnedRuns() {
    String queue = "backlog-versions-" + UUID.randomUUID();
    String deployment = "backlog-" + UUID.randomUUID().toString().substring(0, 8);
    String s1 = versionSeries(queue, deployment, "v1");
    String s2 = versionSeries(queue, deployment, "v2");
    List<String> ids = new ArrayList<>();
    try (ChildProcess v1 = ChildProcess.start("backlog-v1", versioned(queue, deployment, "v1"));
        ChildProcess v2 = ChildProcess.start("backlog-v2", versioned(queue, deployment, "v2"))) {
      int v1Port = Hosts.awaitPolling(v1);
      int v2Port = Hosts.awaitPolling(v2);
      Routing.current(histories, deployment, "v1");
      Routing.ramping(histories, deployment, "v2", 50);
      ids.addAll(startSleeps(queue, "ramped", 120));
      await("each version's share of the backlog")
          .atMost(Duration.ofSeconds(60))
          .until(() -> backlog(v1Port, s1) + backlog(v2Port, s2) >= RUNS - 5);
      double b1 = backlog(v1Port, s1);
      double b2 = backlog(v2Port, s2);
      System.out.printf(
          "backlog per version: v1 %.0f, v2 %.0f of %d runs, v2 ramping at 50%%%n", b1, b2, RUNS);
      assertTrue(b1 + b2 <= RUNS, "shares, not the whole queue twice: " + b1 + " + " + b2);
      assertTrue(b1 >= 5 && b2 >= 5, "each version has its share: " + b1 + " + " + b2);
      assertTrue(
          v2.output()
              .lines()
              .anyMatch(
                  l ->
                      l.startsWith("{\"_aws\"")
                          && l.contains("\"Deployment\":\"" + deployment + "\"")
                          && l.contains("\"BuildId\":\"v2\"")),
          "v2's EMF lines carry its version: " + v2.tail());

      Routing.current(histories, deployment, "v2");
      ids.addAll(startSleeps(queue, "current", 120));
      await("the new runs are v2's backlog alone")
          .atMost(Duration.ofSeconds(60))
          .until(() -> backlog(v2Port, s2) >= b2 + RUNS - 5);
      double drained = backlog(v1Port, s1);
      System.out.printf(
          "backlog per version: v1 draining %.0f, v2 current %.0f%n", drained, backlog(v2Port, s2));
      assertTrue(
          drained > 0 && drained <= b1,
          "draining v1 reports its pinned runs' backlog, none of the new runs: " + drained);
      // Done: the runs go, and the hosts with them (their drains are other suites' matter).
      ids.forEach(id -> histories.client().newUntypedWorkflowStub(id).terminate("test done"));
    }
  }

  private Map<String, String> versioned(String queue, String deployment, String buildId) {
    return env(
        queue,
        Map.of(
            "DRAINHOST_ACTIVITY_SLOTS", "1",
            "DRAINHOST_EMF", "on",
            "DRAINHOST_DEPLOYMENT_NAME", deployment,
            "DRAINHOST_BUILD_ID", buildId,
            "DRAINHOST_VERSIONING_BEHAVIOR", "pinned"));
  }

  private static String versionSeries(String queue, String deployment, String buildId) {
    return "drainhost_task_queue_backlog{build_id=\""
        + buildId
        + "\",deployment=\""
        + deployment
        + "\",kind=\"activity\",task_queue=\""
        + queue
        + "\"}";
  }

  /** Starts {@link #RUNS} sleeps of {@code seconds} on the queue; returns their workflow ids. */
  private List<String> startSleeps(String queue, String prefix, int seconds) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      String id = prefix + "-" + i + "-" + queue;
      histories
          .client()
          .newUntypedWorkflowStub(
              "SleepWorkflow",
              WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(id).build())
          .start(new SleepInput(seconds));
      ids.add(id);
    }
    return ids;
  }

  private static String series(String kind, String queue) {
    return "drainhost_task_queue_backlog{kind=\"" + kind + "\",task_queue=\"" + queue + "\"}";
  }

  private static double backlog(int port, String series) {
    return Api.metric(given().port(port).get("/metrics").asString(), series);
  }

  private Map<String, String> env(String queue, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("DRAINHOST_BACKLOG_INTERVAL", "1s");
    env.put("DRAINHOST_SHUTDOWN_TIMEOUT", "2s");
    env.put("DRAINHOST_STOP_TIMEOUT", "8s");
    return LocalHosts.hostEnv(server.port(), queue, env);
  }
}
