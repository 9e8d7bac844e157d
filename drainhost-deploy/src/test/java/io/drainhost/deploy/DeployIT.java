package io.drainhost.deploy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.drainhost.deploy.plan.ServiceNames;
import io.drainhost.testing.ChildProcess;
import io.temporal.api.enums.v1.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingMetricDataQuery;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingMetricDimension;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;

/**
 * {@code deploy} end to end: a real Temporal server, ECS, Application Auto Scaling and the load
 * balancers' API on loopback (moto's server, behind {@link AwsRecorder}), and real hosts started
 * and stopped to match each service's desired count ({@link EcsFleet}). v1 from the files, v2 from
 * v1 (its settings compared field by field, its autoscaling copied), a re-run, a build the replay
 * gate refuses, a ramp rolled back on its failure rate, rollback, sunset, dry runs, and a deploy
 * killed at each of its steps.
 */
class DeployIT extends DeploySuite {
  static final String COUNTDOWN_GATE = "{\"steps\":1,\"seconds\":0}";

  @Test
  void aReleaseIsOneCommandFromImageToCurrentAndOneThatDoesNotMakeItLeavesNothingRunning() {
    String cluster = "c-" + UUID.randomUUID().toString().substring(0, 6);
    String d = "orders" + UUID.randomUUID().toString().substring(0, 6);
    String queue = "deploy-" + UUID.randomUUID();
    Map<String, String> variants =
        Map.of("v1", "v1", "v2", "v2", "v3", "v2-breaking", "v4", "v2", "v5", "v2-faulty");
    String[] common = {"--deployment", d, "--cluster", cluster};
    // The fleet reads moto directly: what the recorder sees is the tool's alone.
    try (EcsFleet fleet = new EcsFleet(ecs(), cluster, temporal.port(), queue, variants)) {
      fleet.ecs.createCluster(b -> b.clusterName(cluster));

      // v1, the deployment's first version, from the shipped files and the account's settings.
      ChildProcess v1 =
          tool(
              firstRelease(
                  concat(
                      "deploy",
                      common,
                      "--image",
                      "registry.example/orders:v1",
                      "--build-id",
                      "v1",
                      "--desired",
                      "2",
                      "--pollers-timeout",
                      "90s")));
      assertEquals(0, run(v1), v1.output());
      assertTrue(v1.output().contains(d + ":v1 is current"), v1.output());
      JsonNode v1Service = recorder.creation(ServiceNames.of(d, "v1"));
      assertEquals(
          subnet, v1Service.at("/networkConfiguration/awsvpcConfiguration/subnets/0").asText());
      assertEquals(targetGroupArn, v1Service.at("/loadBalancers/0/targetGroupArn").asText());
      assertEquals(75, v1Service.path("healthCheckGracePeriodSeconds").asInt());
      assertTrue(
          v1Service.at("/deploymentConfiguration/deploymentCircuitBreaker/enable").asBoolean());
      assertEquals(2, v1Service.path("desiredCount").asInt());
      autoscale(cluster, ServiceNames.of(d, "v1"), d, queue);

      int v1Port = awaitHostPort(fleet, ServiceNames.of(d, "v1"));
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

      // Runs of v1's SleepWorkflow (auto-upgrade), past their first task: v2 takes them over (its
      // change is behind getVersion), a build with the change unpatched cannot.
      List<String> sleeps = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        sleeps.add(sleepPastItsFirstTask(v1Port));
      }
      // v2 from v1: its task definition, service and autoscaling made from v1's, a gate at each
      // of its two ramp steps, then current.
      String[] v2Release = gatedRelease(common, "v2", "10:3s,50:3s", queue);
      // The deploy policy, statement by statement: without any one that a release needs, the
      // release fails on the call it allows and v2 gets no service.
      for (String sid : MotoIam.NEEDED_BY_A_RELEASE) {
        failsWithout(sid, v2Release);
      }
      assertFalse(serviceExists(fleet, cluster, ServiceNames.of(d, "v2")), "no service for v2");
      int createsBefore = recorder.requests("CreateService").size();
      ChildProcess v2 = tool(v2Release);
      assertEquals(0, run(v2), v2.output());
      String out = v2.output();
      assertTrue(out.indexOf("ramp v2 to 10.0%") < out.indexOf("ramp v2 to 50.0%"), out);
      assertTrue(out.contains("start gate drainhost-gate-" + d + "-v2-step10"), out);
      assertTrue(out.contains("start gate drainhost-gate-" + d + "-v2-step50"), out);
      assertTrue(out.contains(d + ":v2 is current"), out);
      assertEquals(createsBefore + 1, recorder.requests("CreateService").size());
      JsonNode v2Service = recorder.creation(ServiceNames.of(d, "v2"));
      for (String field :
          List.of(
              "networkConfiguration",
              "loadBalancers",
              "launchType",
              "deploymentConfiguration",
              "healthCheckGracePeriodSeconds",
              "propagateTags",
              "enableECSManagedTags",
              "desiredCount")) {
        assertEquals(v1Service.path(field), v2Service.path(field), field + " copied from v1");
      }
      Set<String> v2Tags = tags(v2Service);
      assertTrue(
          v2Tags.contains("drainhost:deployment=" + d) && v2Tags.contains("drainhost:build-id=v2"),
          v2Tags.toString());
      assertOnlyImageAndVersionDiffer(fleet, ServiceNames.of(d, "v1"), ServiceNames.of(d, "v2"));
      assertScalingCopied(cluster, ServiceNames.of(d, "v1"), ServiceNames.of(d, "v2"), "v1", "v2");
      for (String gate : List.of("-step10", "-step50")) {
        assertEquals(
            Set.of("v2"),
            Set.copyOf(buildIdsOfTasks("drainhost-gate-" + d + "-v2" + gate)),
            "the gate ran pinned to v2");
      }
      for (String id : pinned) {
        awaitClosed(id);
        assertEquals(Set.of("v1"), Set.copyOf(buildIdsOfTasks(id)), id + " stayed on v1");
      }

      // The same release again: it finds what exists, and nothing changes.
      ChildProcess again =
          tool(
              concat(
                  "deploy", common, "--image", "registry.example/orders:v2", "--build-id", "v2"));
      assertEquals(0, run(again));
      assertTrue(again.output().contains(d + ":v2 is current"), again.output());
      assertEquals(
          createsBefore + 1, recorder.requests("CreateService").size(), "no second service");

      // A build the replay gate refuses: its hosts exit 4 and never poll; the release fails,
      // ends at 0 tasks with its autoscaling removed, and nothing ever ramps to it.
      int v2Port = awaitHostPort(fleet, ServiceNames.of(d, "v2"));
      ChildProcess v3 =
          tool(
              concat(
                  "deploy",
                  common,
                  "--image",
                  "registry.example/orders:v3",
                  "--build-id",
                  "v3",
                  "--steps",
                  "10:3s",
                  "--pollers-timeout",
                  "25s"));
      assertEquals(3, run(v3), v3.output());
      assertTrue(v3.output().contains("never polls"), v3.output());
      assertEquals(0, desired(fleet, cluster, ServiceNames.of(d, "v3")));
      assertTrue(
          scalableTargets(cluster, ServiceNames.of(d, "v3")).isEmpty(),
          "its autoscaling target is gone");
      assertFalse(versions(d).contains("v3"), "Temporal never learnt of v3: nothing ramped to it");
      assertEquals("v2", current(d));
      assertTrue(
          fleet.startedFor(ServiceNames.of(d, "v3")) >= 1, "its hosts were started and refused");
      // Done with them: a later build's gate replays what runs.
      sleeps.forEach(id -> client.newUntypedWorkflowStub(id).terminate("the test is done with it"));
      ChildProcess status = tool(concat("status", common, "--output", "json"));
      assertEquals(0, run(status));
      assertTrue(
          status
              .output()
              .replaceAll("\\s", "")
              .contains("\"buildId\":\"v3\",\"status\":\"failedrelease(neverpolled)\""),
          status.output());

      // A build whose SleepWorkflow fails every task, ramped at 50%: the failure rate of its runs
      // passes the limit, the ramp ends, its service goes to 0, v2 stays current.
      ChildProcess v5 =
          tool(
              concat(
                  "deploy",
                  common,
                  "--image",
                  "registry.example/orders:v5",
                  "--build-id",
                  "v5",
                  "--steps",
                  "50:40s",
                  "--max-failure-rate",
                  "0.1",
                  "--min-runs",
                  "5",
                  "--pollers-timeout",
                  "90s"));
      v5.awaitLog("ramp v5 to 50.0%", Duration.ofSeconds(150));
      for (int i = 0; i < 30 && v5.alive(); i++) {
        given()
            .port(v2Port)
            .contentType("application/json")
            .body("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":0}}")
            .post("/executions");
        ChildProcess.sleep(Duration.ofMillis(300));
      }
      assertEquals(3, run(v5), v5.output());
      assertTrue(v5.output().contains("failed while ramping at 50.0%"), v5.output());
      // Its service goes to 0 only once Temporal says v5 is idle: right after its ramp ended it
      // may still say draining, and then the service stays up for sunset, which the line says.
      String v5Service = ServiceNames.of(d, "v5");
      assertTrue(
          desired(fleet, cluster, v5Service) == 0
              || v5.output()
                  .matches(
                      "(?s).*not done: scale ECS service "
                          + v5Service
                          + " to 0 .*Temporal says v5 is draining.*"),
          v5.output());
      assertTrue(
          v5.output().indexOf("ramp v5 to 50.0%", v5.output().indexOf("failed while")) < 0,
          "never ramped again after its failure: " + v5.output());
      assertEquals("v2", current(d));

      // rollback: v1 (still polling) is current again; then v2 again, all at once.
      ChildProcess back = tool(concat("rollback", common));
      assertEquals(0, run(back));
      assertTrue(back.output().contains("v1 is current again (v2 was)"), back.output());
      assertEquals(0, run(tool(concat("rollout", common, "--build-id", "v2"))));
      assertEquals("v2", current(d));

      // Dry runs change nothing in ECS, autoscaling or Temporal.
      int tds = taskDefinitionCount(fleet);
      ChildProcess dry =
          tool(
              concat(
                  "deploy",
                  common,
                  "--image",
                  "registry.example/orders:v6",
                  "--build-id",
                  "v6",
                  "--dry-run"));
      assertEquals(0, run(dry));
      assertTrue(dry.output().contains("register a task definition for v6"), dry.output());
      assertTrue(
          dry.output().contains("create ECS service " + ServiceNames.of(d, "v6")), dry.output());
      assertTrue(
          dry.output()
              .contains(
                  "copy autoscaling of "
                      + ServiceNames.of(d, "v2")
                      + " to "
                      + ServiceNames.of(d, "v6")),
          dry.output());
      assertEquals(tds, taskDefinitionCount(fleet), "no task definition registered");
      assertFalse(serviceExists(fleet, cluster, ServiceNames.of(d, "v6")));
      ChildProcess dryBack = tool(concat("rollback", common, "--dry-run"));
      assertEquals(0, run(dryBack));
      assertTrue(dryBack.output().contains("make v1 current"), dryBack.output());
      assertEquals("v2", current(d), "a dry rollback changes nothing");

      // sunset: never a version with open pinned runs or still draining; a dry run changes
      // nothing; then drained v1 and the never-polled v3 and v5 are retired, autoscaling first.
      String[] times = {"--scale-down-after", "1s", "--delete-after", "6s"};
      ChildProcess drySunset = tool(concat("sunset", common, concat("--dry-run", times)));
      assertEquals(0, run(drySunset));
      await("v1 drained")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> statusOf(common, "v1").equals("drained"));
      ChildProcess.sleep(Duration.ofSeconds(2));
      ChildProcess plan = tool(concat("sunset", common, concat("--dry-run", times)));
      assertEquals(0, run(plan));
      assertTrue(
          plan.output().contains("deregister autoscaling of " + ServiceNames.of(d, "v1")),
          plan.output());
      assertTrue(
          plan.output().contains("scale ECS service " + ServiceNames.of(d, "v1") + " to 0"),
          plan.output());
      assertEquals(
          2, desired(fleet, cluster, ServiceNames.of(d, "v1")), "a dry run changes nothing");
      assertFalse(
          scalableTargets(cluster, ServiceNames.of(d, "v1")).isEmpty(),
          "a dry run changes nothing");
      // Without the autoscaling statement, sunset fails on its first action, and nothing changed;
      // without the one that scales and deletes, autoscaling went first and v1 still runs.
      ChildProcess noScaling =
          failsWithout(MotoIam.NEEDED_BY_SUNSET.get(0), concat("sunset", common, times));
      assertTrue(
          noScaling
              .output()
              .contains("failed: deregister autoscaling of " + ServiceNames.of(d, "v1")),
          "autoscaling goes first: " + noScaling.output());
      assertFalse(scalableTargets(cluster, ServiceNames.of(d, "v1")).isEmpty());
      ChildProcess noScale =
          failsWithout(MotoIam.NEEDED_BY_SUNSET.get(1), concat("sunset", common, times));
      assertTrue(
          noScale.output().contains("failed: scale ECS service " + ServiceNames.of(d, "v1")),
          noScale.output());
      assertEquals(2, desired(fleet, cluster, ServiceNames.of(d, "v1")));
      for (String service : List.of(ServiceNames.of(d, "v3"), ServiceNames.of(d, "v5"))) {
        assertTrue(serviceExists(fleet, cluster, service), service + " not deleted");
      }
      ChildProcess down = tool(concat("sunset", common, times));
      assertEquals(0, run(down));
      String downOut = noScale.output() + down.output();
      assertEquals(0, desired(fleet, cluster, ServiceNames.of(d, "v1")));
      assertTrue(scalableTargets(cluster, ServiceNames.of(d, "v1")).isEmpty());
      assertFalse(
          downOut.contains("ECS service " + ServiceNames.of(d, "v2")),
          "the current version is never touched");
      await("v1's hosts stopped")
          .atMost(Duration.ofSeconds(30))
          .until(() -> fleet.hostsOf(ServiceNames.of(d, "v1")).isEmpty());
      ChildProcess.sleep(Duration.ofSeconds(6));
      ChildProcess gone = tool(concat("sunset", common, times));
      assertEquals(0, run(gone));
      // The releases that never polled, or drained after their ramp failed, went with v1's
      // scale-down (past --delete-after already); v1's service goes now.
      for (String service :
          List.of(ServiceNames.of(d, "v1"), ServiceNames.of(d, "v3"), ServiceNames.of(d, "v5"))) {
        assertTrue(
            (downOut + gone.output()).contains("delete ECS service " + service),
            downOut + gone.output());
        assertFalse(serviceExists(fleet, cluster, service), service + " deleted");
      }
      assertTrue(
          serviceExists(fleet, cluster, ServiceNames.of(d, "v2")), "the current version stays");

      // A deploy killed at each of its steps carries on when it is run again.
      String[] v4 = gatedRelease(common, "v4", "10:8s,50:2s", queue);
      for (String step :
          List.of(
              "create ECS service " + ServiceNames.of(d, "v4"), "start gate", "ramp v4 to 10.0%")) {
        ChildProcess killed = tool(v4);
        if (!step.startsWith("ramp")) {
          killed.awaitLog(java.util.regex.Pattern.quote(step), Duration.ofSeconds(150));
        } else {
          // Killed once Temporal has the ramp (the release may have set it before this run
          // attached: it prints from then on), the re-run must not set it again.
          await("v4 ramps")
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofSeconds(1))
              .ignoreExceptionsInstanceOf(io.grpc.StatusRuntimeException.class)
              .until(
                  () ->
                      deploymentInfo(d)
                          .getRoutingConfig()
                          .getRampingDeploymentVersion()
                          .getBuildId()
                          .equals("v4"));
        }
        killed.signal("KILL");
        killed.awaitExit(Duration.ofSeconds(30));
      }
      ChildProcess resumed = tool(v4);
      assertEquals(0, run(resumed), resumed.output());
      String r = resumed.output();
      assertFalse(r.contains("ramp v4 to 10.0%"), "the first step is not set again: " + r);
      assertTrue(r.contains(d + ":v4 is current"), r);
      // One release ran through the kills (each run resumed it): each step once in its history.
      assertEquals(
          List.of("ramp v4 to 10.0%", "ramp v4 to 50.0%"),
          actedOn(io.drainhost.deploy.workflow.ReleaseRequest.workflowId(cluster, d)).stream()
              .filter(a -> a instanceof io.drainhost.deploy.plan.Action.SetRamping)
              .map(io.drainhost.deploy.plan.Action::describe)
              .distinct()
              .toList());
      assertEquals(
          1,
          recorder.requests("CreateService").stream()
              .filter(b -> b.path("serviceName").asText().equals(ServiceNames.of(d, "v4")))
              .count(),
          "one service for v4");
      List<Integer> codes = fleet.stoppedExitCodes();
      assertTrue(
          codes.stream().allMatch(c -> c == 0 || c == 4),
          "hosts drained or were refused: " + codes);
      assertPolicyListsExactlyTheCallsMade();
    }
  }

  /**
   * A deploy of the build's image with these ramp steps, a countdown gate pinned to the build at
   * each step on {@code queue}, and 90 s for its pollers.
   */
  private static String[] gatedRelease(
      String[] common, String buildId, String steps, String queue) {
    return concat(
        "deploy",
        common,
        "--image",
        "registry.example/orders:" + buildId,
        "--build-id",
        buildId,
        "--steps",
        steps,
        "--step-gate",
        "CountdownWorkflow",
        "--gate-input",
        COUNTDOWN_GATE,
        "--gate-task-queue",
        queue,
        "--pollers-timeout",
        "90s");
  }

  /**
   * The command, run as a principal whose policy lacks the statement {@code sid} of the deploy
   * policy, fails and names the call that statement allows: the statement is needed.
   */
  private ChildProcess failsWithout(String sid, String[] args) {
    ChildProcess p = tool(toolEnvWithout(sid), args);
    int exit = run(p);
    assertNotEquals(0, exit, "without " + sid + ": " + p.output());
    // The tool's line names the IAM action to allow; for a role, what it could not read.
    assertTrue(
        MotoIam.actionsOf(sid).stream()
            .anyMatch(
                a ->
                    p.output().contains("IAM policy does not allow " + a + ";")
                        || (a.equals("iam:GetRole")
                            && p.output().contains("is not a role this deploy role may read"))),
        "without " + sid + " the denied call is named: " + p.output());
    return p;
  }

  /**
   * {@code ecs/drainhost-deploy-iam-policy.json} allows exactly the AWS calls the tool made in this
   * scenario (each subcommand, each rule), and iam:PassRole for the task definitions' roles.
   */
  private void assertPolicyListsExactlyTheCallsMade() {
    Set<String> made =
        recorder.calls().stream()
            .map(AwsRecorder.Call::iamAction)
            .collect(Collectors.toCollection(java.util.TreeSet::new));
    Set<String> allowed = new java.util.TreeSet<>();
    try {
      for (JsonNode statement :
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(ROOT.resolve("ecs/drainhost-deploy-iam-policy.json").toFile())
              .path("Statement")) {
        // Not calls: what AWS asks of a caller for the calls above (passing the task
        // definitions' roles, tagging at creation, target tracking's alarms).
        if (MotoIam.NOT_EVALUATED.contains(statement.path("Sid").asText())) {
          continue;
        }
        allowed.addAll(MotoIam.actionsOf(statement.path("Sid").asText()));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertEquals(allowed, made, "the policy lists exactly the calls the tool makes");
  }

  private String statusOf(String[] common, String buildId) {
    ChildProcess st = tool(concat("status", common, "--output", "json"));
    st.awaitExit(Duration.ofSeconds(60));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"buildId\":\"" + buildId + "\",\"status\":\"([^\"]+)\"")
            .matcher(st.output().replaceAll("\\s", ""));
    return m.find() ? m.group(1) : "";
  }

  private void awaitClosed(String workflowId) {
    await(workflowId)
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                client
                        .newUntypedWorkflowStub(workflowId)
                        .describe()
                        .getRawDescription()
                        .getWorkflowExecutionInfo()
                        .getStatus()
                        .getNumber()
                    != 1);
  }

  List<String> buildIdsOfTasks(String workflowId) {
    return client.fetchHistory(workflowId).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
        .map(e -> e.getWorkflowTaskCompletedEventAttributes().getDeploymentVersion().getBuildId())
        .toList();
  }

  private Set<String> versions(String deployment) {
    try {
      return deploymentInfo(deployment).getVersionSummariesList().stream()
          .map(v -> v.getDeploymentVersion().getBuildId())
          .collect(Collectors.toSet());
    } catch (io.grpc.StatusRuntimeException e) {
      return Set.of();
    }
  }

  private String current(String deployment) {
    return deploymentInfo(deployment).getRoutingConfig().getCurrentDeploymentVersion().getBuildId();
  }

  private static Set<String> tags(JsonNode createService) {
    Set<String> tags = new java.util.TreeSet<>();
    createService
        .path("tags")
        .forEach(t -> tags.add(t.path("key").asText() + "=" + t.path("value").asText()));
    return tags;
  }

  /** The two services' task definitions differ in the container's image and version only. */
  private void assertOnlyImageAndVersionDiffer(EcsFleet fleet, String first, String second) {
    List<ContainerDefinition> a = containers(fleet, first);
    List<ContainerDefinition> b = containers(fleet, second);
    assertEquals(a.size(), b.size());
    ContainerDefinition ca = a.get(0);
    ContainerDefinition cb = b.get(0);
    assertEquals("registry.example/orders:v2", cb.image());
    assertEquals(withoutVersion(ca), withoutVersion(cb), "only the image and the version differ");
    assertTrue(
        cb.environment()
            .contains(KeyValuePair.builder().name("DRAINHOST_BUILD_ID").value("v2").build()));
  }

  private static ContainerDefinition withoutVersion(ContainerDefinition c) {
    return c.toBuilder()
        .image("")
        .environment(
            c.environment().stream()
                .filter(e -> !e.name().equals("DRAINHOST_BUILD_ID"))
                .sorted(java.util.Comparator.comparing(KeyValuePair::name))
                .toList())
        .build();
  }

  private static List<ContainerDefinition> containers(EcsFleet fleet, String service) {
    String td =
        fleet
            .ecs
            .describeServices(b -> b.cluster(clusterOf(fleet)).services(service))
            .services()
            .get(0)
            .taskDefinition();
    return fleet
        .ecs
        .describeTaskDefinition(b -> b.taskDefinition(td))
        .taskDefinition()
        .containerDefinitions();
  }

  private static String clusterOf(EcsFleet fleet) {
    return fleet.cluster();
  }

  /** v1's autoscaling, as a team sets it up: a target and a policy naming v1's service. */
  /**
   * The shipped target tracking (ecs/scaling-policy.json, as the template makes it): this version's
   * own backlog per running task of its service.
   */
  private void autoscale(String cluster, String service, String deployment, String queue) {
    String resource = "service/" + cluster + "/" + service;
    autoscaling.registerScalableTarget(
        b ->
            b.serviceNamespace(ServiceNamespace.ECS)
                .resourceId(resource)
                .scalableDimension("ecs:service:DesiredCount")
                .minCapacity(2)
                .maxCapacity(6));
    java.util.LinkedHashMap<String, String> backlog = new java.util.LinkedHashMap<>();
    backlog.put("TaskQueue", queue);
    backlog.put("Kind", "activity");
    backlog.put("Deployment", deployment);
    backlog.put("BuildId", "v1");
    java.util.LinkedHashMap<String, String> tasks = new java.util.LinkedHashMap<>();
    tasks.put("ClusterName", cluster);
    tasks.put("ServiceName", service);
    autoscaling.putScalingPolicy(
        b ->
            b.policyName("backlog-per-task")
                .serviceNamespace(ServiceNamespace.ECS)
                .resourceId(resource)
                .scalableDimension("ecs:service:DesiredCount")
                .policyType("TargetTrackingScaling")
                .targetTrackingScalingPolicyConfiguration(
                    t ->
                        t.targetValue(100.0)
                            .customizedMetricSpecification(
                                m ->
                                    m.metrics(
                                        metric(
                                            "backlog", "Maximum", "drainhost", "Backlog", backlog),
                                        metric(
                                            "tasks",
                                            "Average",
                                            "ECS/ContainerInsights",
                                            "RunningTaskCount",
                                            tasks),
                                        TargetTrackingMetricDataQuery.builder()
                                            .id("backlog_per_task")
                                            .expression("IF(tasks > 0, backlog / tasks, backlog)")
                                            .returnData(true)
                                            .build()))));
  }

  private static TargetTrackingMetricDataQuery metric(
      String id, String stat, String namespace, String name, Map<String, String> dimensions) {
    return TargetTrackingMetricDataQuery.builder()
        .id(id)
        .returnData(false)
        .metricStat(
            s ->
                s.stat(stat)
                    .metric(
                        m ->
                            m.namespace(namespace)
                                .metricName(name)
                                .dimensions(
                                    dimensions.entrySet().stream()
                                        .map(
                                            e ->
                                                TargetTrackingMetricDimension.builder()
                                                    .name(e.getKey())
                                                    .value(e.getValue())
                                                    .build())
                                        .toList())))
        .build();
  }

  private void assertScalingCopied(
      String cluster, String from, String to, String fromBuildId, String toBuildId) {
    List<ScalableTarget> a = scalableTargets(cluster, from);
    List<ScalableTarget> b = scalableTargets(cluster, to);
    assertEquals(1, b.size(), "the new service has a target");
    assertEquals(a.get(0).minCapacity(), b.get(0).minCapacity());
    assertEquals(a.get(0).maxCapacity(), b.get(0).maxCapacity());
    List<ScalingPolicy> policies =
        autoscaling
            .describeScalingPolicies(
                x ->
                    x.serviceNamespace(ServiceNamespace.ECS)
                        .resourceId("service/" + cluster + "/" + to))
            .scalingPolicies();
    assertEquals(1, policies.size());
    String metrics =
        policies
            .get(0)
            .targetTrackingScalingPolicyConfiguration()
            .customizedMetricSpecification()
            .metrics()
            .toString();
    assertTrue(
        metrics.contains("Value=" + to + ")") && !metrics.contains("Value=" + from + ")"),
        "its metric names the new service: " + metrics);
    assertTrue(
        metrics.contains("Name=BuildId, Value=" + toBuildId + ")")
            && !metrics.contains("Value=" + fromBuildId + ")"),
        "and the new version's own backlog: " + metrics);
  }
}
