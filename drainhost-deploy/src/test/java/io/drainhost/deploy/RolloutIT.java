package io.drainhost.deploy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import io.drainhost.testing.TemporalServers;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * drainhost-deploy against a real Temporal server and an ECS API on loopback (moto's server mode),
 * with real hosts started and stopped to match each service's desired count ({@link EcsFleet}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutIT {
  TemporalServer temporal;
  ChildProcess moto;
  URI ecsEndpoint;
  WorkflowServiceStubs stubs;
  WorkflowClient client;

  static Optional<Path> motoServer() {
    String configured = System.getenv("DRAINHOST_MOTO_SERVER");
    if (configured != null) {
      return Optional.of(Path.of(configured));
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir, "moto_server");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  @BeforeAll
  void start() {
    Optional<Path> server = motoServer();
    if (System.getenv("DRAINHOST_REQUIRE_MOTO") == null) {
      assumeTrue(server.isPresent(), "moto_server not installed (pip install \"moto[server]\")");
    }
    TemporalServers.requireAvailable(TemporalServer.Kind.TEMPORAL_CLI, getClass());
    temporal =
        TemporalServer.startWithDynamicConfig(
            Map.of(
                "matching.wv.VersionDrainageStatusRefreshInterval", "\"1s\"",
                "matching.wv.VersionDrainageStatusVisibilityGracePeriod", "\"1s\""));
    int port = LocalHosts.freePort();
    moto =
        ChildProcess.exec(
            "moto",
            Map.of(),
            List.of(
                server.orElseThrow(() -> new IllegalStateException("no moto_server")).toString(),
                "-H",
                "127.0.0.1",
                "-p",
                Integer.toString(port)));
    moto.awaitLog("Running on", Duration.ofSeconds(30));
    ecsEndpoint = URI.create("http://127.0.0.1:" + port);
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
    client = WorkflowClient.newInstance(stubs);
  }

  @AfterAll
  void stop() {
    if (stubs != null) {
      stubs.shutdownNow();
    }
    if (moto != null) {
      moto.close();
    }
    if (temporal != null) {
      temporal.stop();
      temporal.close();
    }
  }

  Map<String, String> toolEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ENDPOINT_URL_ECS", ecsEndpoint.toString());
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_REGION", "us-east-1");
    env.put("TEMPORAL_ADDRESS", temporal.address());
    return env;
  }

  ChildProcess tool(String... args) {
    return tool(toolEnv(), args);
  }

  static ChildProcess tool(Map<String, String> env, String... args) {
    return ChildProcess.startJar(
        ChildProcess.locate("drainhost-deploy.jar", "drainhost-deploy.jar"),
        "deploy-" + args[0],
        env,
        args);
  }

  static void createService(EcsFleet fleet, String cluster, String deployment, String buildId) {
    String td =
        fleet
            .ecs
            .registerTaskDefinition(
                b ->
                    b.family(deployment)
                        .containerDefinitions(
                            c -> c.name("app").image("orders:" + buildId).memory(512)))
            .taskDefinition()
            .taskDefinitionArn();
    fleet.ecs.createService(
        b ->
            b.cluster(cluster)
                .serviceName(deployment + "-" + buildId)
                .taskDefinition(td)
                .desiredCount(2)
                .tags(
                    t -> t.key(EcsServices.DEPLOYMENT_TAG).value(deployment),
                    t -> t.key(EcsServices.BUILD_ID_TAG).value(buildId)));
  }

  static int awaitHostPort(EcsFleet fleet, String service) {
    await(service + " has hosts")
        .atMost(Duration.ofSeconds(60))
        .until(() -> !fleet.hostsOf(service).isEmpty());
    ChildProcess h = fleet.hostsOf(service).get(0);
    int port = h.awaitHttpPort();
    h.awaitLog("workers started", Duration.ofSeconds(90));
    return port;
  }

  int run(ChildProcess tool) {
    int exit = tool.awaitExit(Duration.ofMinutes(4));
    System.out.println("--- " + tool.name() + " exited " + exit + "\n" + tool.output());
    return exit;
  }

  List<String> buildIdsOfTasks(String workflowId) {
    return client.fetchHistory(workflowId).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
        .map(e -> e.getWorkflowTaskCompletedEventAttributes().getDeploymentVersion().getBuildId())
        .toList();
  }

  long failedTasks(String workflowId) {
    return client.fetchHistory(workflowId).getEvents().stream()
        .map(HistoryEvent::getEventType)
        .filter(t -> t == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
        .count();
  }

  @Test
  void v1ToV2InTwoRampStepsAfterAGateThenAFaultyV3IsRefusedOrRolledBack() {
    String cluster = "c-" + UUID.randomUUID().toString().substring(0, 6);
    String deployment = "orders" + UUID.randomUUID().toString().substring(0, 6);
    String queue = "deploy-" + UUID.randomUUID();
    Map<String, String> variants = Map.of("v1", "v1", "v2", "v2", "v3", "v2-faulty", "v4", "v2");
    try (EcsFleet fleet = new EcsFleet(ecsEndpoint, cluster, temporal.port(), queue, variants)) {
      fleet.ecs.createCluster(b -> b.clusterName(cluster));
      createService(fleet, cluster, deployment, "v1");
      int v1Port = awaitHostPort(fleet, deployment + "-v1");
      String[] common = {"--deployment", deployment, "--cluster", cluster};

      // The first version: no current one to ramp from, so it becomes current at once.
      assertEquals(0, run(tool(concat("rollout", common, "--build-id", "v1"))));

      List<String> pinned = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String id = queue + "-pinned-" + i;
        given()
            .port(v1Port)
            .contentType("application/json")
            .body(
                "{\"workflowType\":\"CountdownWorkflow\",\"workflowId\":\""
                    + id
                    + "\",\"input\":{\"steps\":2,\"seconds\":10}}")
            .post("/executions")
            .then()
            .statusCode(201);
        pinned.add(id);
      }

      createService(fleet, cluster, deployment, "v2");
      awaitHostPort(fleet, deployment + "-v2");
      ChildProcess v2 =
          tool(
              gatedRollout(
                  common, "v2", "10:3s,50:3s", "CountdownWorkflow", COUNTDOWN_GATE, queue));
      assertEquals(0, run(v2));
      String out = v2.output();
      assertTrue(out.contains("gate passed"), out);
      assertTrue(out.indexOf("ramping at 10.0%") < out.indexOf("ramping at 50.0%"), out);
      assertTrue(out.contains(deployment + ":v2 is current"), out);
      assertEquals(
          Set.of("v2"),
          Set.copyOf(buildIdsOfTasks("drainhost-gate-" + deployment + "-v2")),
          "the gate ran pinned to v2");

      // Re-running a finished rollout changes nothing.
      ChildProcess again = tool(concat("rollout", common, "--build-id", "v2"));
      assertEquals(0, run(again));
      assertTrue(again.output().contains("already current"), again.output());

      for (String id : pinned) {
        await(id)
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    !buildIdsOfTasks(id).isEmpty()
                        && client
                                .newUntypedWorkflowStub(id)
                                .describe()
                                .getRawDescription()
                                .getWorkflowExecutionInfo()
                                .getStatus()
                                .getNumber()
                            != 1);
        assertEquals(Set.of("v1"), Set.copyOf(buildIdsOfTasks(id)), id + " stayed on v1");
        assertEquals(0, failedTasks(id), id);
      }

      // status shows v2 current and v1 on its way out, beside their services.
      ChildProcess status = tool(concat("status", common, "--output", "json"));
      assertEquals(0, run(status));
      assertTrue(status.output().contains("\"buildId\" : \"v2\""), status.output());
      assertTrue(status.output().contains("\"status\" : \"current\""), status.output());

      // rollback: v1 (still polling) is current again; then v2 again, all at once.
      ChildProcess back = tool(concat("rollback", common));
      assertEquals(0, run(back));
      assertTrue(back.output().contains("rollback: v1 is current again (v2 was)"), back.output());
      assertEquals(0, run(tool(concat("rollout", common, "--build-id", "v2"))));

      // sunset: v1 drains (its pinned runs are done); a dry run changes nothing, then its service
      // goes to 0 (its hosts drain and exit 0), then the service is deleted.
      String[] sunsetTimes = {"--scale-down-after", "1s", "--delete-after", "4s"};
      await("v1 drained")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                ChildProcess st = tool(concat("status", common, "--output", "json"));
                st.awaitExit(Duration.ofSeconds(60));
                return st.output()
                    .replaceAll("\\s", "")
                    .contains("\"buildId\":\"v1\",\"status\":\"drained\"");
              });
      ChildProcess.sleep(Duration.ofSeconds(2));
      ChildProcess plan = tool(concat("sunset", common, concat("--dry-run", sunsetTimes)));
      assertEquals(0, run(plan));
      assertTrue(
          plan.output().contains("would scale " + deployment + "-v1 (v1) to 0"), plan.output());
      assertEquals(2, desired(fleet, cluster, deployment + "-v1"), "a dry run changes nothing");
      ChildProcess down = tool(concat("sunset", common, sunsetTimes));
      assertEquals(0, run(down));
      assertEquals(0, desired(fleet, cluster, deployment + "-v1"));
      assertFalse(
          down.output().contains(deployment + "-v2"), "the current version is never touched");
      await("v1's hosts stopped")
          .atMost(Duration.ofSeconds(30))
          .until(() -> fleet.hostsOf(deployment + "-v1").isEmpty());
      assertTrue(
          fleet.stoppedExitCodes().stream().allMatch(c -> c == 0), "hosts drained and exited 0");
      ChildProcess.sleep(Duration.ofSeconds(4));
      ChildProcess gone = tool(concat("sunset", common, sunsetTimes));
      assertEquals(0, run(gone));
      assertTrue(gone.output().contains("delete ECS service " + deployment + "-v1"), gone.output());
      assertEquals(
          "INACTIVE",
          fleet
              .ecs
              .describeServices(b -> b.cluster(cluster).services(deployment + "-v1"))
              .services()
              .get(0)
              .status());

      // v3's SleepWorkflow fails every workflow task: a gate of that type never completes.
      createService(fleet, cluster, deployment, "v3");
      awaitHostPort(fleet, deployment + "-v3");
      ChildProcess gateFails =
          tool(
              gatedRollout(
                  common,
                  "v3",
                  "50:20s",
                  "SleepWorkflow",
                  "{\"seconds\":0}",
                  queue,
                  "--gate-timeout",
                  "8s"));
      assertEquals(3, run(gateFails));
      assertFalse(gateFails.output().contains("ramping at"), "never ramped: " + gateFails.output());

      // Its gate of another type passes, but while it ramps, new SleepWorkflows on it fail.
      ChildProcess ramped =
          tool(gatedRollout(common, "v3", "50:30s", "CountdownWorkflow", COUNTDOWN_GATE, queue));
      int v3Port = awaitHostPort(fleet, deployment + "-v3");
      new Thread(
              () -> {
                for (int i = 0; i < 20 && ramped.alive(); i++) {
                  given()
                      .port(v3Port)
                      .contentType("application/json")
                      .body("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":0}}")
                      .post("/executions");
                  ChildProcess.sleep(Duration.ofMillis(500));
                }
              })
          .start();
      assertEquals(3, run(ramped));
      assertTrue(ramped.output().contains("rolled back"), ramped.output());
      ChildProcess after = tool(concat("status", common, "--output", "json"));
      assertEquals(0, run(after));
      String json = after.output();
      assertTrue(
          json.replaceAll("\\s", "").contains("\"buildId\":\"v2\",\"status\":\"current\""), json);
      assertFalse(json.replaceAll("\\s", "").contains("\"status\":\"ramping\""), json);

      // An interrupted rollout: killed in its first ramp step, re-run, it repeats neither the gate
      // nor the step, and finishes.
      createService(fleet, cluster, deployment, "v4");
      awaitHostPort(fleet, deployment + "-v4");
      String[] v4 =
          gatedRollout(common, "v4", "10:12s,50:2s", "CountdownWorkflow", COUNTDOWN_GATE, queue);
      ChildProcess first = tool(v4);
      first.awaitLog("ramping at 10.0%", Duration.ofSeconds(120));
      first.signal("KILL");
      first.awaitExit(Duration.ofSeconds(30));
      ChildProcess resumed = tool(v4);
      assertEquals(0, run(resumed));
      String r = resumed.output();
      assertTrue(r.contains("gate skipped"), r);
      assertTrue(r.contains("resuming the 10.0% step"), r);
      assertFalse(r.contains("ramping at 10.0%"), "the first step is not set again: " + r);
      assertTrue(r.contains("ramping at 50.0%") && r.contains(deployment + ":v4 is current"), r);
    }
  }

  @Test
  void wrongArgumentsAndUnreachableEndpointsAreOneLineAndTheirExitCode() {
    ChildProcess noBuild = tool("rollout", "--deployment", "d", "--cluster", "c");
    assertEquals(2, noBuild.awaitExit(Duration.ofSeconds(60)), noBuild.output());
    assertTrue(noBuild.output().contains("Missing required option: '--build-id"), noBuild.output());
    ChildProcess badSteps =
        tool(
            "rollout",
            "--deployment",
            "d",
            "--cluster",
            "c",
            "--build-id",
            "b",
            "--steps",
            "50:1m,10:1m");
    assertEquals(2, badSteps.awaitExit(Duration.ofSeconds(60)), badSteps.output());
    assertTrue(badSteps.output().contains("percents must rise"), badSteps.output());
    Map<String, String> env = toolEnv();
    env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + LocalHosts.freePort());
    ChildProcess unreachable = tool(env, "status", "--deployment", "d", "--cluster", "c");
    assertEquals(1, unreachable.awaitExit(Duration.ofSeconds(90)), unreachable.output());
    assertTrue(unreachable.output().contains("does not answer"), unreachable.output());
    Map<String, String> noEcs = toolEnv();
    noEcs.put("AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:" + LocalHosts.freePort());
    ChildProcess ecsDown = tool(noEcs, "status", "--deployment", "d", "--cluster", "c");
    assertEquals(1, ecsDown.awaitExit(Duration.ofSeconds(120)), ecsDown.output());
    assertTrue(ecsDown.output().startsWith("drainhost-deploy: ECS: "), ecsDown.output());
    ChildProcess badTimes =
        tool(
            "sunset",
            "--deployment",
            "d",
            "--cluster",
            "c",
            "--scale-down-after",
            "2h",
            "--delete-after",
            "1h");
    assertEquals(2, badTimes.awaitExit(Duration.ofSeconds(60)), badTimes.output());
    assertTrue(badTimes.output().contains("--delete-after must not be shorter"), badTimes.output());
    for (String command : List.of("status", "rollout", "rollback", "sunset")) {
      ChildProcess help = tool(command, "--help");
      assertEquals(0, help.awaitExit(Duration.ofSeconds(60)), help.output());
      assertTrue(help.output().contains("Usage: drainhost-deploy " + command), help.output());
    }
    for (ChildProcess p : List.of(noBuild, badSteps, unreachable, ecsDown, badTimes)) {
      assertFalse(p.output().contains("\tat "), "no stack trace: " + p.output());
    }
  }

  static int desired(EcsFleet fleet, String cluster, String service) {
    return fleet
        .ecs
        .describeServices(b -> b.cluster(cluster).services(service))
        .services()
        .get(0)
        .desiredCount();
  }

  /** The input of a countdown gate that completes at once. */
  static final String COUNTDOWN_GATE = "{\"steps\":1,\"seconds\":0}";

  /** {@code rollout} of one build through these steps, gated by one run of that type on queue. */
  static String[] gatedRollout(
      String[] common,
      String buildId,
      String steps,
      String gateWorkflow,
      String gateInput,
      String queue,
      String... more) {
    String[] gate = {
      "--build-id", buildId,
      "--steps", steps,
      "--gate-workflow", gateWorkflow,
      "--gate-input", gateInput,
      "--gate-task-queue", queue
    };
    return concat(
        "rollout", common, Stream.concat(Stream.of(gate), Stream.of(more)).toArray(String[]::new));
  }

  static String[] concat(String command, String[] common, String... rest) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(List.of(common));
    all.addAll(List.of(rest));
    return all.toArray(new String[0]);
  }
}
