package io.drainhost.deploy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.deploy.activity.SunsetSchedule;
import io.drainhost.deploy.plan.Action;
import io.drainhost.deploy.plan.Plan;
import io.drainhost.deploy.plan.ServiceNames;
import io.drainhost.deploy.workflow.Outcome;
import io.drainhost.deploy.workflow.ReleaseRequest;
import io.drainhost.testing.ChildProcess;
import io.temporal.api.deployment.v1.RoutingConfig;
import io.temporal.client.schedules.ScheduleClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A release is a Temporal workflow: it outlives the pipeline step that started it and the
 * controller that runs it, one runs per deployment, and what it did is in its history. A real
 * Temporal server, moto for AWS, real hosts per ECS service ({@link EcsFleet}), the tool and its
 * controller as separate processes, killed with SIGKILL. The scenario without a controller runs
 * first: a controller, once seen, counts as running for a minute and a half.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DurableReleaseIT extends DeploySuite {
  static final Map<String, String> VARIANTS =
      Map.of(
          "v1",
          "v1",
          "v2",
          "v2",
          "v3",
          "v2",
          "v4",
          "v2-faulty",
          "v5",
          "v2",
          "v6",
          "v2",
          "v7",
          "v2-faulty");

  @Test
  @Order(1)
  void withoutAControllerAKilledPipelinePausesItsReleaseAndTheNextResumesOrAbortsIt() {
    String cluster = "c-" + UUID.randomUUID().toString().substring(0, 6);
    String d = "local" + UUID.randomUUID().toString().substring(0, 6);
    String[] common = {"--deployment", d, "--cluster", cluster};
    try (EcsFleet fleet =
        new EcsFleet(ecs(), cluster, temporal.port(), "local-" + UUID.randomUUID(), VARIANTS)) {
      fleet.ecs.createCluster(b -> b.clusterName(cluster));
      ChildProcess v1 = tool(firstRelease(release(common, "v1", "--desired", "1")));
      assertEquals(0, run(v1), v1.output());
      assertTrue(v1.output().contains("this process runs the release's steps"), v1.output());

      // Killed mid-ramp: nothing moves while no worker runs; the same deploy resumes it.
      ChildProcess killed = tool(release(common, "v2", "--steps", "10:8s,50:4s"));
      killed.awaitLog("ramp v2 to 10.0%", Duration.ofSeconds(150));
      killed.signal("KILL");
      killed.awaitExit(Duration.ofSeconds(30));
      // Past the step's 8 s: a release that ran on would be at 50 % by now.
      ChildProcess.sleep(Duration.ofSeconds(15));
      RoutingConfig paused = routing(d);
      assertEquals("v2", paused.getRampingDeploymentVersion().getBuildId(), "still ramping");
      assertEquals(10f, paused.getRampingVersionPercentage(), "the step did not move: paused");
      ChildProcess status = tool(concat("status", common));
      assertEquals(0, run(status));
      assertTrue(status.output().contains("release running: deploy of build v2"), status.output());
      assertTrue(status.output().contains("paused"), status.output());
      ChildProcess resumed = tool(release(common, "v2", "--steps", "10:8s,50:4s"));
      assertEquals(0, run(resumed), resumed.output());
      assertTrue(resumed.output().contains("the same release runs"), resumed.output());
      assertFalse(resumed.output().contains("ramp v2 to 10.0%"), resumed.output());
      assertTrue(resumed.output().contains(d + ":v2 is current"), resumed.output());
      assertEquals("v2", routing(d).getCurrentDeploymentVersion().getBuildId());

      // Killed mid-ramp again; abort, from another step, rolls the ramp back.
      ChildProcess again = tool(release(common, "v3", "--steps", "10:60s"));
      again.awaitLog("ramp v3 to 10.0%", Duration.ofSeconds(150));
      again.signal("KILL");
      again.awaitExit(Duration.ofSeconds(30));
      ChildProcess abort = tool(concat("abort", common));
      assertEquals(3, run(abort), abort.output());
      assertTrue(
          abort.output().contains(d + ":v3 aborted by drainhost-deploy abort"), abort.output());
      RoutingConfig after = routing(d);
      assertEquals("v2", after.getCurrentDeploymentVersion().getBuildId());
      assertEquals("", after.getRampingDeploymentVersion().getBuildId(), "no ramp left");

      // A dry run plans in the command and starts no release.
      String id = ReleaseRequest.workflowId(cluster, d);
      String runBefore = client.newUntypedWorkflowStub(id).describe().getExecution().getRunId();
      ChildProcess dry = tool(release(common, "v5", "--dry-run"));
      assertEquals(0, run(dry), dry.output());
      assertTrue(dry.output().contains("register a task definition for v5"), dry.output());
      assertEquals(
          runBefore, client.newUntypedWorkflowStub(id).describe().getExecution().getRunId());
    }
  }

  @Test
  @Order(2)
  void aReleaseOutlivesItsPipelineAndItsControllerAndOneRunsPerDeployment() {
    String cluster = "c-" + UUID.randomUUID().toString().substring(0, 6);
    String d = "ctl" + UUID.randomUUID().toString().substring(0, 6);
    String[] common = {"--deployment", d, "--cluster", cluster};
    String id = ReleaseRequest.workflowId(cluster, d);
    List<ChildProcess> controllers = new ArrayList<>();
    try (EcsFleet fleet =
        new EcsFleet(ecs(), cluster, temporal.port(), "ctl-" + UUID.randomUUID(), VARIANTS)) {
      fleet.ecs.createCluster(b -> b.clusterName(cluster));
      controllers.add(controller());
      // It runs as the deploy role: its API starts nothing for a client without the token.
      given()
          .port(controllers.get(0).awaitHttpPort())
          .contentType("application/json")
          .body("{\"workflowType\":\"ReleaseWorkflow\",\"input\":{}}")
          .post("/executions")
          .then()
          .statusCode(401);
      ChildProcess v1 = tool(firstRelease(release(common, "v1", "--desired", "1")));
      assertEquals(0, run(v1), v1.output());
      assertTrue(v1.output().contains("a drainhost-deploy controller polls"), v1.output());

      // The pipeline step killed during a 2-step ramp: the release finishes without it.
      ChildProcess killed = tool(release(common, "v2", "--steps", "10:4s,50:4s"));
      killed.awaitLog("ramp v2 to 10.0%", Duration.ofSeconds(150));
      killed.signal("KILL");
      await("v2 current, no step running")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> routing(d).getCurrentDeploymentVersion().getBuildId().equals("v2"));
      assertEquals("", routing(d).getRampingDeploymentVersion().getBuildId());
      assertEquals(0, outcome(id).exitCode());
      // Its history is its audit log: every plan, and every action with its reason.
      List<Plan> plans = plans(id);
      assertTrue(
          plans.stream()
              .flatMap(p -> p.actions().stream())
              .anyMatch(
                  a ->
                      a instanceof Action.SetRamping r
                          && r.percent() == 10
                          && r.reason().startsWith("step 1 of 2")),
          plans.toString());
      assertTrue(
          plans.stream().anyMatch(p -> p.message().equals(d + ":v2 is current")), plans.toString());
      List<Action> acted = actedOn(id);
      assertEquals(
          List.of("v2"),
          acted.stream()
              .filter(a -> a instanceof Action.SetCurrent)
              .map(a -> ((Action.SetCurrent) a).buildId())
              .toList(),
          "promoted once");

      // The controller killed mid-ramp and started again: the release resumes from its step,
      // and no action is applied twice.
      ChildProcess detached = tool(release(common, "v3", "--steps", "10:6s,50:4s", "--detach"));
      assertEquals(0, run(detached), detached.output());
      await("v3 ramps")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> routing(d).getRampingDeploymentVersion().getBuildId().equals("v3"));
      controllers.get(0).signal("KILL");
      controllers.get(0).awaitExit(Duration.ofSeconds(30));
      controllers.add(controller());
      // Before it polls, the new controller's replay gate replays the running release: a build
      // that could not take it over would not poll.
      assertTrue(
          controllers
              .get(1)
              .output()
              .matches("(?s).*replay report: state=passed checked=[1-9].*verdict=poll.*"),
          controllers.get(1).output());
      await("v3 current")
          .atMost(Duration.ofSeconds(150))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> routing(d).getCurrentDeploymentVersion().getBuildId().equals("v3"));
      assertEquals(0, outcome(id).exitCode());
      List<String> ramps =
          actedOn(id).stream()
              .filter(a -> a instanceof Action.SetRamping)
              .map(Action::describe)
              .toList();
      // A step re-planned after its act was cut short is listed twice, applied once.
      assertEquals(
          List.of("ramp v3 to 10.0%", "ramp v3 to 50.0%"), ramps.stream().distinct().toList());
      assertEquals(1, creations(ServiceNames.of(d, "v3")), "one service for v3");
      assertEquals(
          1,
          recorder.requests("RegisterTaskDefinition").stream()
              .filter(
                  b ->
                      b.at("/containerDefinitions/0/image")
                              .asText()
                              .equals("registry.example/orders:v3")
                          // this deployment's (the first scenario released a v3 too)
                          && b.toString().contains("\"" + d + "\""))
              .count(),
          "one task definition for v3");

      // Failures in the second step, with the pipeline gone: the release rolls back by itself.
      int v3Port = awaitHostPort(fleet, ServiceNames.of(d, "v3"));
      ChildProcess faulty =
          tool(
              release(
                  common,
                  "v4",
                  "--steps",
                  "10:3s,50:60s",
                  "--max-failure-rate",
                  "0.1",
                  "--min-runs",
                  "5"));
      faulty.awaitLog("ramp v4 to 50.0%", Duration.ofSeconds(150));
      faulty.signal("KILL");
      startRunsUntilClosed(v3Port, 30, id);
      Outcome rolledBack = outcome(id);
      assertEquals(3, rolledBack.exitCode(), rolledBack.toString());
      assertTrue(
          rolledBack.message().contains("failed while ramping at 50.0%"), rolledBack.message());
      assertEquals("v3", routing(d).getCurrentDeploymentVersion().getBuildId());
      assertEquals("", routing(d).getRampingDeploymentVersion().getBuildId());

      // Two releases of different builds started together: one runs, the other is refused with
      // nothing created, and the ramp never alternates.
      int tdsBefore = taskDefinitionCount(fleet);
      ChildProcess v5 = tool(release(common, "v5", "--steps", "50:3s"));
      ChildProcess v6 = tool(release(common, "v6", "--steps", "50:3s"));
      int e5 = run(v5);
      int e6 = run(v6);
      assertEquals(List.of(0, 4), List.of(Math.min(e5, e6), Math.max(e5, e6)), e5 + " " + e6);
      String winner = e5 == 0 ? "v5" : "v6";
      String loser = e5 == 0 ? "v6" : "v5";
      ChildProcess refused = e5 == 0 ? v6 : v5;
      assertTrue(
          refused
              .output()
              .contains("another release of deployment " + d + " runs: deploy of build " + winner),
          refused.output());
      assertFalse(serviceExists(fleet, cluster, ServiceNames.of(d, loser)), "nothing of " + loser);
      assertEquals(tdsBefore + 1, taskDefinitionCount(fleet), "one task definition: the winner's");
      assertEquals(
          List.of(winner),
          actedOn(id).stream()
              .filter(a -> a instanceof Action.SetRamping)
              .map(a -> ((Action.SetRamping) a).buildId())
              .distinct()
              .toList(),
          "only the running release ramps");
      assertEquals(winner, routing(d).getCurrentDeploymentVersion().getBuildId());

      // A breach after promotion, within --rollback-window, with no pipeline left: rolled back.
      ChildProcess watched = tool(release(common, "v7", "--rollback-window", "150s", "--detach"));
      assertEquals(0, run(watched), watched.output());
      await("v7 current")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> routing(d).getCurrentDeploymentVersion().getBuildId().equals("v7"));
      ChildProcess.sleep(Duration.ofSeconds(20));
      int v7Port = awaitHostPort(fleet, ServiceNames.of(d, "v7"));
      startRunsUntilClosed(v7Port, 20, id);
      Outcome breached = outcome(id);
      assertEquals(3, breached.exitCode(), breached.toString());
      assertTrue(breached.message().contains("failed after its promotion"), breached.message());
      assertEquals(winner, routing(d).getCurrentDeploymentVersion().getBuildId());

      // Sunset from its Schedule (deploy made one; --every replaces it): the drained v1 is
      // scaled down by the controller, no pipeline involved.
      ChildProcess every =
          tool(concat("sunset", common, "--every", "1h", "--scale-down-after", "1s"));
      assertEquals(0, run(every), every.output());
      await("v1 drained")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptionsInstanceOf(io.grpc.StatusRuntimeException.class)
          .until(
              () ->
                  deploymentInfo(d).getVersionSummariesList().stream()
                      .anyMatch(
                          v ->
                              v.getDeploymentVersion().getBuildId().equals("v1")
                                  && v.getDrainageStatus()
                                      == io.temporal.api.enums.v1.VersionDrainageStatus
                                          .VERSION_DRAINAGE_STATUS_DRAINED));
      ChildProcess.sleep(Duration.ofSeconds(2));
      ScheduleClient.newInstance(stubs).getHandle(SunsetSchedule.id(cluster, d)).trigger();
      await("v1 scaled down by the schedule")
          .atMost(Duration.ofSeconds(60))
          .until(() -> desired(fleet, cluster, ServiceNames.of(d, "v1")) == 0);
      assertEquals(winner, routing(d).getCurrentDeploymentVersion().getBuildId());
    } finally {
      controllers.forEach(ChildProcess::close);
      controllers.forEach(c -> System.out.println("--- controller\n" + c.tail()));
    }
  }

  /** A deploy of the build's image with 90 s for its pollers, and more flags. */
  static String[] release(String[] common, String buildId, String... more) {
    List<String> args = new ArrayList<>(List.of(common));
    args.addAll(
        List.of(
            "--image",
            "registry.example/orders:" + buildId,
            "--build-id",
            buildId,
            "--pollers-timeout",
            "90s"));
    args.addAll(List.of(more));
    return concat("deploy", args.toArray(new String[0]));
  }

  ChildProcess controller() {
    Map<String, String> env = new HashMap<>(toolEnv());
    env.put("DRAINHOST_PORT", "0");
    ChildProcess c =
        ChildProcess.startJar(
            ChildProcess.locate("drainhost-deploy.jar", "drainhost-deploy.jar"),
            "controller",
            env,
            "controller");
    c.awaitLog("workers started", Duration.ofSeconds(90));
    return c;
  }

  /**
   * The deployment's routing as Temporal has it; Temporal limits the calls per deployment, and the
   * tool's own are the ones that must not wait, so a refused read is tried again.
   */
  RoutingConfig routing(String deployment) {
    return await("the routing of " + deployment)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptionsInstanceOf(io.grpc.StatusRuntimeException.class)
        .until(() -> deploymentInfo(deployment).getRoutingConfig(), r -> true);
  }

  Outcome outcome(String workflowId) {
    try {
      return client
          .newUntypedWorkflowStub(workflowId)
          .getResult(3, TimeUnit.MINUTES, Outcome.class);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(workflowId + " did not end", e);
    }
  }

  /**
   * Starts up to {@code runs} SleepWorkflow runs through the host at {@code port}, 300 ms apart,
   * until the release {@code workflowId} ends (on their failures, when the build is faulty).
   */
  void startRunsUntilClosed(int port, int runs, String workflowId) {
    for (int i = 0; i < runs && !closed(workflowId); i++) {
      given()
          .port(port)
          .contentType("application/json")
          .body("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":0}}")
          .post("/executions");
      ChildProcess.sleep(Duration.ofMillis(300));
    }
  }

  boolean closed(String workflowId) {
    return client
            .newUntypedWorkflowStub(workflowId)
            .describe()
            .getRawDescription()
            .getWorkflowExecutionInfo()
            .getStatus()
        != io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }

  int creations(String service) {
    return (int)
        recorder.requests("CreateService").stream()
            .filter(b -> b.path("serviceName").asText().equals(service))
            .count();
  }
}
