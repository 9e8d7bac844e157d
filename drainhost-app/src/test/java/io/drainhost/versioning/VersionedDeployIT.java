package io.drainhost.versioning;

import static io.drainhost.support.Hosts.awaitPolling;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.support.Api;
import io.drainhost.support.Histories;
import io.drainhost.support.Hosts;
import io.drainhost.support.Routing;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import io.drainhost.testing.TemporalServers;
import io.restassured.path.json.JsonPath;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A versioned (rainbow) deploy on a real server: v1 hosts run pinned countdowns and auto-upgrade
 * sleeps; v2 hosts (the pinned type changed incompatibly, the auto-upgrade type behind getVersion)
 * join; v2 becomes current. Pinned runs finish on v1, auto-upgrade runs move to v2, new runs start
 * on v2, v1 goes draining then drained, its hosts exit 0, and no history holds a failed task.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VersionedDeployIT {
  TemporalServer server;

  @BeforeAll
  void startTemporal() {
    TemporalServers.requireAvailable(TemporalServer.Kind.TEMPORAL_CLI, getClass());
    // Drainage in seconds instead of minutes: test settings, never production ones.
    server =
        TemporalServer.startWithDynamicConfig(
            Map.of(
                "matching.wv.VersionDrainageStatusRefreshInterval", "\"1s\"",
                "matching.wv.VersionDrainageStatusVisibilityGracePeriod", "\"1s\""));
  }

  @AfterAll
  void stopTemporal() {
    if (server != null) {
      server.stop();
      server.close();
    }
  }

  Map<String, String> env(String queue, String deployment, String buildId, String variant) {
    Map<String, String> env = new HashMap<>();
    env.put("DRAINHOST_DEPLOYMENT_NAME", deployment);
    env.put("DRAINHOST_BUILD_ID", buildId);
    env.put("DRAINHOST_SAMPLES_VARIANT", variant);
    env.put("DRAINHOST_TEMPORAL_CHECK_INTERVAL", "500ms");
    env.put("DRAINHOST_SHUTDOWN_TIMEOUT", "5s");
    env.put("DRAINHOST_STOP_TIMEOUT", "10s");
    return LocalHosts.hostEnv(server.port(), queue, env);
  }

  /** The activity attempts a host's /inflight lists now. */
  static List<Map<String, Object>> activities(int port) {
    return given()
        .port(port)
        .get("/inflight")
        .then()
        .extract()
        .jsonPath()
        .getList("items.findAll { it.kind == 'activity' }");
  }

  static String deploymentStatus(int port) {
    return given().port(port).get("/health").then().extract().path("deployment.status");
  }

  static String start(int port, String type, String id, String input) {
    Api.start(
            port,
            "{\"workflowType\":\""
                + type
                + "\",\"workflowId\":\""
                + id
                + "\",\"input\":"
                + input
                + "}")
        .then()
        .statusCode(201);
    return id;
  }

  static JsonPath awaitCompleted(int port, String id, Duration within) {
    JsonPath run =
        await(id + " completes")
            .atMost(within)
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> given().port(port).get("/executions/" + id).then().extract().jsonPath(),
                r -> !"RUNNING".equals(r.getString("status")));
    assertEquals("COMPLETED", run.getString("status"), run.prettify());
    return run;
  }

  /** The build ids of the workers that completed each of the run's workflow tasks, in order. */
  static List<String> taskBuildIds(List<HistoryEvent> events) {
    return events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
        .map(e -> e.getWorkflowTaskCompletedEventAttributes().getDeploymentVersion().getBuildId())
        .toList();
  }

  @Test
  void pinnedWorkStaysOnItsVersionAutoUpgradeMovesAndTheOldVersionDrainsBeforeItsHostsLeave() {
    String queue = "versioned-" + UUID.randomUUID();
    String deployment = "dep-" + UUID.randomUUID().toString().substring(0, 8);
    List<ChildProcess> all = new ArrayList<>();
    try (Histories histories = new Histories(server.address())) {
      ChildProcess v1a = ChildProcess.start("v1a", env(queue, deployment, "v1", "v1"));
      ChildProcess v1b = ChildProcess.start("v1b", env(queue, deployment, "v1", "v1"));
      all.addAll(List.of(v1a, v1b));
      int v1Port = awaitPolling(v1a);
      int v1bPort = awaitPolling(v1b);
      Routing.current(histories, deployment, "v1");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "current".equals(deploymentStatus(v1Port)));
      JsonPath health =
          given().port(v1Port).get("/health").then().statusCode(200).extract().jsonPath();
      assertEquals(deployment, health.getString("deployment.name"));
      assertEquals("v1", health.getString("deployment.buildId"));
      String scrape = given().port(v1Port).get("/metrics").asString();
      String series = "drainhost_deployment_version{build_id=\"v1\",deployment=\"" + deployment;
      assertEquals(1.0, Api.metric(scrape, series + "\",status=\"current\"}"), scrape);
      assertEquals(0.0, Api.metric(scrape, series + "\",status=\"draining\"}"), scrape);

      List<String> pinned = new ArrayList<>();
      List<String> upgrading = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        pinned.add(
            start(
                v1Port,
                "CountdownWorkflow",
                queue + "-pinned-" + i,
                "{\"steps\":3,\"seconds\":6}"));
        upgrading.add(start(v1Port, "SleepWorkflow", queue + "-auto-" + i, "{\"seconds\":12}"));
      }
      await("the sleeps run on v1")
          .atMost(Duration.ofSeconds(30))
          .until(() -> activities(v1Port).size() + activities(v1bPort).size() == 3);
      List<String> behaviours =
          new ArrayList<>(
              given()
                  .port(v1Port)
                  .get("/inflight")
                  .then()
                  .extract()
                  .jsonPath()
                  .getList("items.findAll { it.kind == 'activity' }.versioningBehavior"));
      assertTrue(behaviours.stream().allMatch("auto_upgrade"::equals), behaviours.toString());

      ChildProcess v2a = ChildProcess.start("v2a", env(queue, deployment, "v2", "v2"));
      ChildProcess v2b = ChildProcess.start("v2b", env(queue, deployment, "v2", "v2"));
      all.addAll(List.of(v2a, v2b));
      int v2Port = awaitPolling(v2a);
      awaitPolling(v2b);
      assertTrue(
          v2a.output().contains("replay report: state=passed"),
          "v2's gate replays the auto-upgrade runs and leaves v1's pinned runs alone: "
              + v2a.output());
      Routing.current(histories, deployment, "v2");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "current".equals(deploymentStatus(v2Port)));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "draining".equals(deploymentStatus(v1Port)));

      String fresh =
          start(v2Port, "CountdownWorkflow", queue + "-new", "{\"steps\":1,\"seconds\":1}");
      awaitCompleted(v2Port, fresh, Duration.ofSeconds(30));
      assertEquals(
          Set.of("v2"), Set.copyOf(taskBuildIds(histories.events(fresh))), "new runs start on v2");

      for (String id : pinned) {
        awaitCompleted(v2Port, id, Duration.ofSeconds(60));
        assertEquals(
            Set.of("v1"),
            Set.copyOf(taskBuildIds(histories.events(id))),
            id + ": every workflow task of a pinned run on v1");
      }
      for (String id : upgrading) {
        awaitCompleted(v2Port, id, Duration.ofSeconds(60));
        List<String> builds = taskBuildIds(histories.events(id));
        assertEquals("v1", builds.get(0), id + " started on v1: " + builds);
        assertEquals("v2", builds.get(builds.size() - 1), id + " finished on v2: " + builds);
      }
      await("v1 drained")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> "drained".equals(deploymentStatus(v1Port)));

      Hosts.stopCleanly(v1a, v1b);
      List<String> everything = new ArrayList<>(pinned);
      everything.addAll(upgrading);
      everything.add(fresh);
      for (String id : everything) {
        assertEquals(
            0,
            histories.events(id).stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
                .count(),
            id + " has no failed workflow task");
      }
      System.out.printf(
          "versioned deploy: %d pinned runs finished on v1, %d auto-upgrade runs moved to v2, v1"
              + " drained, its hosts exited 0%n",
          pinned.size(), upgrading.size());
      Hosts.stopCleanly(v2a, v2b);
    } finally {
      all.forEach(ChildProcess::close);
    }
  }

  @Test
  void aPinnedRunsHandedBackAttemptRunsAgainOnItsOwnVersionAndTheLastHostOfItWarns() {
    String queue = "pinned-handoff-" + UUID.randomUUID();
    String deployment = "dep-" + UUID.randomUUID().toString().substring(0, 8);
    List<ChildProcess> all = new ArrayList<>();
    try (Histories histories = new Histories(server.address())) {
      Map<String, String> v1Env = env(queue, deployment, "v1", "v1");
      v1Env.put("DRAINHOST_VERSIONING_BEHAVIOR", "pinned");
      v1Env.put("DRAINHOST_DRAIN_POLICY", "*=handoff");
      ChildProcess v1a = ChildProcess.start("v1a-pinned", v1Env);
      all.add(v1a);
      int v1aPort = awaitPolling(v1a);
      Routing.current(histories, deployment, "v1");
      String id = start(v1aPort, "SleepWorkflow", queue + "-sleep", "{\"seconds\":40}");
      await("the sleep runs on v1a")
          .atMost(Duration.ofSeconds(30))
          .until(() -> activities(v1aPort).size() == 1);
      assertEquals(
          List.of("pinned"),
          given()
              .port(v1aPort)
              .get("/inflight")
              .then()
              .extract()
              .jsonPath()
              .getList("items.findAll { it.kind == 'activity' }.versioningBehavior"));
      ChildProcess v1b = ChildProcess.start("v1b-pinned", v1Env);
      Map<String, String> v2Env = env(queue, deployment, "v2", "v2");
      v2Env.put("DRAINHOST_VERSIONING_BEHAVIOR", "pinned");
      ChildProcess v2 = ChildProcess.start("v2-pinned", v2Env);
      all.addAll(List.of(v1b, v2));
      int v1bPort = awaitPolling(v1b);
      int v2Port = awaitPolling(v2);
      Routing.current(histories, deployment, "v2");

      // v1a leaves: it hands the attempt back at once; the next one must run on v1b, not on v2.
      Hosts.stopCleanly(v1a);
      await("the next attempt runs on v1b")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  given()
                          .port(v1bPort)
                          .get("/inflight")
                          .then()
                          .extract()
                          .jsonPath()
                          .getList("items.findAll { it.kind == 'activity' && it.attempt >= 2 }")
                          .size()
                      == 1);
      assertEquals(0, activities(v2Port).size(), "v2 never runs the pinned v1 run's activity");

      Hosts.stopCleanly(v1b);
      assertEquals(
          "RUNNING",
          given().port(v2Port).get("/executions/" + id).then().extract().path("status"),
          "the pinned run waits for a host of v1");
      Hosts.stopCleanly(v2);
    } finally {
      all.forEach(ChildProcess::close);
    }
  }

  @Test
  void theOnlyHostOfAVersionWithAnOpenPinnedRunSaysSoWhenItLeaves() {
    String queue = "last-" + UUID.randomUUID();
    String deployment = "dep-" + UUID.randomUUID().toString().substring(0, 8);
    try (Histories histories = new Histories(server.address())) {
      Map<String, String> env = env(queue, deployment, "v1", "v1");
      env.put("DRAINHOST_VERSIONING_BEHAVIOR", "pinned");
      env.put("DRAINHOST_DRAIN_POLICY", "*=handoff");
      try (ChildProcess only = ChildProcess.start("only-v1", env)) {
        int port = awaitPolling(only);
        Routing.current(histories, deployment, "v1");
        start(port, "SleepWorkflow", queue + "-sleep", "{\"seconds\":60}");
        await("the pinned run's activity runs")
            .atMost(Duration.ofSeconds(30))
            .until(() -> activities(port).size() == 1);
        Hosts.stopCleanly(only);
        String out = only.output();
        assertTrue(
            out.contains(
                "drain: this host is the last poller of version "
                    + deployment
                    + ":v1, which has 1 open pinned runs"),
            only.tail());
        assertTrue(out.contains("leftBehind=this host is the last poller"), only.tail());
      }
    }
  }
}
