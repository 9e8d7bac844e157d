package io.drainhost.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drainhost.deploy.plan.ServiceNames;
import io.drainhost.testing.ChildProcess;
import io.temporal.api.deployment.v1.WorkerDeploymentInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * An operator's mistakes, on a real Temporal server and moto's ECS: each is refused before any
 * change, by sunset, rollback and deploy alike, with exit 2 and a line naming both sides; ECS,
 * Application Auto Scaling and Temporal read back unchanged. The deployment is live: its first
 * version, released by the tool from the files, is current with a host polling.
 */
class FailClosedIT extends DeploySuite {
  static final String LIVE_BUILD = "release-2024-06-01";
  static final String NEXT_BUILD = "release-2024-06-02";

  final String suffix = UUID.randomUUID().toString().substring(0, 6);
  final String cluster = "live-" + suffix;
  final String deployment = "shop" + suffix;
  final String queue = "fail-closed-" + suffix;
  EcsFleet fleet;

  /** The live deployment, released once for every case. */
  private synchronized EcsFleet live() {
    if (fleet != null) {
      return fleet;
    }
    fleet =
        new EcsFleet(
            ecs(),
            cluster,
            temporal.port(),
            queue,
            Map.of(LIVE_BUILD, "v1", NEXT_BUILD, "v2-breaking"));
    fleet.ecs.createCluster(b -> b.clusterName(cluster));
    ChildProcess first =
        tool(
            firstRelease(
                "deploy",
                "--cluster",
                cluster,
                "--deployment",
                deployment,
                "--image",
                "registry.example/shop:" + LIVE_BUILD,
                "--desired",
                "1",
                "--pollers-timeout",
                "90s"));
    assertEquals(0, run(first), first.output());
    // A run of the live version past its first task: a build that changes its workflow without a
    // patch cannot replay it, so its hosts are refused by their replay gate and never poll.
    sleepPastItsFirstTask(awaitHostPort(fleet, ServiceNames.of(deployment, LIVE_BUILD)));
    return fleet;
  }

  /**
   * What a refusal must leave as it was: every service of every cluster with its desired count and
   * task definition, the task definitions, the autoscaling targets, the deployment's routing and
   * versions in Temporal.
   */
  String everything() {
    Map<String, Object> all = new TreeMap<>();
    for (String c : fleet.ecs.listClusters().clusterArns()) {
      List<String> arns = fleet.ecs.listServices(b -> b.cluster(c)).serviceArns();
      if (!arns.isEmpty()) {
        fleet
            .ecs
            .describeServices(b -> b.cluster(c).services(arns))
            .services()
            .forEach(
                s ->
                    all.put(
                        "ecs " + s.serviceName(),
                        s.status() + " desired " + s.desiredCount() + " " + s.taskDefinition()));
      }
    }
    all.put("task definitions", fleet.ecs.listTaskDefinitions().taskDefinitionArns());
    all.put(
        "autoscaling",
        autoscaling
            .describeScalableTargets(b -> b.serviceNamespace(ServiceNamespace.ECS))
            .scalableTargets()
            .stream()
            .map(t -> t.resourceId() + " " + t.minCapacity() + "-" + t.maxCapacity())
            .sorted()
            .toList());
    WorkerDeploymentInfo d = deploymentInfo(deployment);
    all.put("temporal routing", d.getRoutingConfig().toString());
    all.put(
        "temporal versions",
        d.getVersionSummariesList().stream()
            .map(v -> v.getDeploymentVersion().getBuildId())
            .sorted()
            .toList());
    return all.toString();
  }

  /** Each command refused with exit 2, naming {@code named}; nothing changed anywhere. */
  void refused(Map<String, String> env, List<String[]> commands, String... named) {
    String before = everything();
    for (String[] command : commands) {
      ChildProcess p = tool(env, command);
      assertEquals(2, run(p), p.output());
      for (String n : named) {
        assertTrue(p.output().contains(n), n + " named: " + p.output());
      }
      assertTrue(p.output().contains("Nothing was changed"), p.output());
      assertFalse(p.output().contains("\tat "), "no stack trace: " + p.output());
    }
    assertEquals(before, everything(), "ECS, autoscaling and Temporal read back unchanged");
  }

  /** sunset, rollback and a deploy of a new build, on {@code cluster} and {@code deployment}. */
  static List<String[]> sunsetRollbackDeploy(String cluster, String deployment) {
    String[] common = {"--cluster", cluster, "--deployment", deployment};
    return List.of(
        concat("sunset", common, "--scale-down-after", "1s", "--delete-after", "1s"),
        concat("rollback", common),
        concat("deploy", common, "--image", "registry.example/shop:" + NEXT_BUILD));
  }

  @Test
  void aMistypedNamespaceIsRefusedNotTakenForAFailedRelease() {
    live();
    Map<String, String> env = toolEnv();
    env.put("TEMPORAL_NAMESPACE", "defualt");
    refused(
        env,
        sunsetRollbackDeploy(cluster, deployment),
        "namespace defualt does not exist",
        temporal.address());
    assertEquals(1, desired(fleet, cluster, ServiceNames.of(deployment, LIVE_BUILD)));
  }

  @Test
  void servicesOfADeploymentTemporalDoesNotHaveAreRefused() {
    live();
    // A deployment deleted from Temporal (or a pipeline on another Temporal cluster): its services
    // still run in ECS, and Temporal has no such Worker Deployment.
    String orphans = "orphans-" + suffix;
    String gone = "gone" + suffix;
    fleet.ecs.createCluster(b -> b.clusterName(orphans));
    String td =
        fleet
            .ecs
            .registerTaskDefinition(
                b ->
                    b.family(gone)
                        .containerDefinitions(
                            c ->
                                c.name("drainhost")
                                    .image("registry.example/shop:v7")
                                    .memory(512)
                                    .environment(
                                        e -> e.name("DRAINHOST_DEPLOYMENT_NAME").value(gone))))
            .taskDefinition()
            .taskDefinitionArn();
    fleet.ecs.createService(
        b ->
            b.cluster(orphans)
                .serviceName(gone + "-v7")
                .taskDefinition(td)
                .desiredCount(2)
                .tags(
                    Tag.builder().key("drainhost:deployment").value(gone).build(),
                    Tag.builder().key("drainhost:build-id").value("v7").build()));
    refused(
        toolEnv(),
        sunsetRollbackDeploy(orphans, gone),
        "has no Worker Deployment " + gone,
        gone + "-v7",
        "ECS cluster " + orphans);
  }

  @Test
  void aWrongButExistingClusterIsRefused() {
    live();
    String empty = "empty-" + suffix;
    fleet.ecs.createCluster(b -> b.clusterName(empty));
    refused(
        toolEnv(),
        sunsetRollbackDeploy(empty, deployment),
        "routes " + deployment + " to version " + LIVE_BUILD,
        "ECS cluster " + empty + " (region us-east-1)",
        "--cluster");
  }

  @Test
  void aBuildIdThatNamesAnotherImageIsRefusedAndSimilarIdsNeverShareAService() {
    live();
    String[] common = {"--cluster", cluster, "--deployment", deployment};
    refused(
        toolEnv(),
        List.<String[]>of(
            concat(
                "deploy", common, "--image", "registry.example/other:x", "--build-id", LIVE_BUILD)),
        "build id " + LIVE_BUILD + " is already the image registry.example/shop:" + LIVE_BUILD,
        "registry.example/other:x");

    // The failed release of a build whose id shares the live one's first characters: it is
    // created in a service of its own, fails, and scales that one to 0, never the live one.
    String live = ServiceNames.of(deployment, LIVE_BUILD);
    String next = ServiceNames.of(deployment, NEXT_BUILD);
    assertNotEquals(live, next);
    ChildProcess failing =
        tool(
            concat(
                "deploy",
                common,
                "--image",
                "registry.example/shop:" + NEXT_BUILD,
                "--pollers-timeout",
                "40s"));
    assertEquals(3, run(failing), failing.output());
    assertTrue(failing.output().contains("create ECS service " + next), failing.output());
    assertTrue(failing.output().contains("scale ECS service " + next + " to 0"), failing.output());
    assertFalse(failing.output().contains("ECS service " + live), failing.output());
    assertEquals(0, desired(fleet, cluster, next));
    assertEquals(1, desired(fleet, cluster, live), "the live version's service is untouched");
  }

  @Test
  void aFirstReleaseThatCannotWorkIsRefusedBeforeAnythingIsCreated(@TempDir Path dir)
      throws Exception {
    live();
    String first = "first-" + suffix;
    fleet.ecs.createCluster(b -> b.clusterName(first));
    String[] common = {"--cluster", first, "--deployment", "new" + suffix};
    String taskDefinition = this.taskDefinition.toString();
    String settings = ROOT.resolve("ecs/service-settings.json").toString();

    // awsvpc with no network: ECS could not place a task, and every later release copies it.
    refusedFirst(
        first(common, taskDefinition, settings, "--target-group-arn", targetGroupArn),
        "service.networkConfiguration",
        "--subnets");

    // A target group with ELB's default checks (5 healthy checks 30 s apart): judged by the same
    // rule as every later release, against the grace period.
    String defaults;
    try (var elb = elb()) {
      defaults =
          elb.createTargetGroup(
                  b ->
                      b.name("defaults-" + suffix)
                          .protocol("HTTP")
                          .port(8080)
                          .vpcId(vpc)
                          .targetType("ip")
                          .healthCheckPath("/health"))
              .targetGroups()
              .get(0)
              .targetGroupArn();
    }
    refusedFirst(
        withNetwork(first(common, taskDefinition, settings, "--target-group-arn", defaults)),
        "healthCheckGracePeriodSeconds");

    // A role the task definition names that IAM does not have: outside the deploy policy's roles,
    // IAM answers AccessDenied, as AWS does, not NoSuchEntity.
    ObjectMapper json = new ObjectMapper();
    ObjectNode td = (ObjectNode) json.readTree(Files.readString(Path.of(taskDefinition)));
    td.put("taskRoleArn", "arn:aws:iam::123456789012:role/drainhost-task-typo");
    Path typo = dir.resolve("task-definition.json");
    Files.writeString(typo, json.writeValueAsString(td));
    refusedFirst(
        withNetwork(first(common, typo.toString(), settings, "--target-group-arn", targetGroupArn)),
        "role/drainhost-task-typo is not a role this deploy role may read or pass");

    // Tasks that would poll another namespace than the one this run watches them in.
    String prod = taskDefinitionFor(temporal.address(), "prod").toString();
    refusedFirst(
        withNetwork(first(common, prod, settings, "--target-group-arn", targetGroupArn)),
        "environment.TEMPORAL_NAMESPACE",
        "namespace prod");

    // No silent fallback to the example files.
    ChildProcess noFiles = tool(concat("deploy", common, "--image", "registry.example/shop:n1"));
    assertEquals(2, run(noFiles), noFiles.output());
    assertTrue(noFiles.output().contains("a first release names its files"), noFiles.output());
  }

  /** A first release's deploy from these files, with {@code more} flags. */
  static String[] first(String[] common, String taskDefinition, String settings, String... more) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--image",
                "registry.example/shop:n1",
                "--task-definition",
                taskDefinition,
                "--service-settings",
                settings));
    all.addAll(List.of(more));
    return concat("deploy", common, all.toArray(new String[0]));
  }

  /** {@code command} with the suite's subnet and security group. */
  String[] withNetwork(String[] command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of("--subnets", subnet, "--security-groups", securityGroup));
    return all.toArray(new String[0]);
  }

  void refusedFirst(String[] command, String... named) {
    refused(toolEnv(), List.<String[]>of(command), named);
  }

  @org.junit.jupiter.api.AfterAll
  void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }
}
