package io.drainhost.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool's commands at their edges: {@code check} on the shipped files and on a task definition
 * and service settings with each setting a drain depends on wrong; wrong arguments and unreachable
 * endpoints, each one line and its exit code.
 */
class DeployCommandsIT extends DeploySuite {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void checkPassesTheShippedFilesAndFlagsEachBadSettingByItsField(@TempDir Path dir)
      throws Exception {
    ChildProcess shipped =
        tool(
            "check",
            "--task-definition",
            ROOT.resolve("ecs/task-definition.json").toString(),
            "--service-settings",
            ROOT.resolve("ecs/service-settings.json").toString());
    assertEquals(0, run(shipped), shipped.output());
    assertFalse(shipped.output().contains("ERROR"), shipped.output());

    ObjectNode td = (ObjectNode) JSON.readTree(ROOT.resolve("ecs/task-definition.json").toFile());
    ObjectNode c = (ObjectNode) td.path("containerDefinitions").get(0);
    c.put("stopTimeout", 20); // DRAINHOST_STOP_TIMEOUT says 30 s
    ((ObjectNode) c.path("linuxParameters")).put("initProcessEnabled", false);
    c.set(
        "entryPoint",
        JSON.createArrayNode().add("sh").add("-c").add("java -jar /app/drainhost.jar"));
    ArrayNode probe =
        JSON.createArrayNode().add("CMD-SHELL").add("curl -fs http://127.0.0.1:8080/health");
    ((ObjectNode) c.path("healthCheck")).set("command", probe);
    ObjectNode settings =
        (ObjectNode) JSON.readTree(ROOT.resolve("ecs/service-settings.json").toFile());
    ((ObjectNode) settings.path("targetGroup")).put("HealthCheckPath", "/health/live");
    ((ObjectNode) settings.path("service")).put("healthCheckGracePeriodSeconds", 10);
    ((ObjectNode) settings.path("service").path("deploymentConfiguration"))
        .put("minimumHealthyPercent", 50);
    ((ObjectNode) settings.path("targetGroup").path("Attributes").get(0)).put("Value", "30");
    Path badTd = dir.resolve("task-definition.json");
    Path badSettings = dir.resolve("service-settings.json");
    Files.writeString(badTd, JSON.writeValueAsString(td));
    Files.writeString(badSettings, JSON.writeValueAsString(settings));
    ChildProcess bad =
        tool(
            "check",
            "--task-definition",
            badTd.toString(),
            "--service-settings",
            badSettings.toString());
    assertEquals(2, run(bad), bad.output());
    String out = bad.output();
    for (String field :
        List.of(
            "ERROR    containerDefinitions[drainhost].stopTimeout",
            "ERROR    containerDefinitions[drainhost].entryPoint",
            "ERROR    containerDefinitions[drainhost].healthCheck.command",
            "ERROR    targetGroup.HealthCheckPath",
            "ERROR    service.healthCheckGracePeriodSeconds",
            "WARNING  targetGroup.deregistration_delay.timeout_seconds",
            "WARNING  service.deploymentConfiguration.minimumHealthyPercent")) {
      assertTrue(out.contains(field), field + " in:\n" + out);
    }
  }

  @Test
  void wrongArgumentsAndUnreachableEndpointsAreOneLineAndTheirExitCode() {
    ChildProcess noBuild = tool("rollout", "--deployment", "d", "--cluster", "c");
    assertEquals(2, noBuild.awaitExit(Duration.ofSeconds(60)), noBuild.output());
    assertTrue(noBuild.output().contains("Missing required option: '--build-id"), noBuild.output());
    ChildProcess noImage = tool("deploy", "--deployment", "d", "--cluster", "c");
    assertEquals(2, noImage.awaitExit(Duration.ofSeconds(60)), noImage.output());
    assertTrue(noImage.output().contains("Missing required option: '--image"), noImage.output());
    ChildProcess untagged =
        tool("deploy", "--deployment", "d", "--cluster", "c", "--image", "registry/orders");
    assertEquals(2, untagged.awaitExit(Duration.ofSeconds(60)), untagged.output());
    assertTrue(untagged.output().contains("names neither a digest"), untagged.output());
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
    ChildProcess badRate =
        tool(
            "rollout",
            "--deployment",
            "d",
            "--cluster",
            "c",
            "--build-id",
            "b",
            "--max-failure-rate",
            "2");
    assertEquals(2, badRate.awaitExit(Duration.ofSeconds(60)), badRate.output());
    assertTrue(
        badRate.output().contains("--max-failure-rate must be from 0 to 1"), badRate.output());
    Map<String, String> env = toolEnv();
    env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + LocalHosts.freePort());
    ChildProcess unreachable = tool(env, "status", "--deployment", "d", "--cluster", "c");
    assertEquals(1, unreachable.awaitExit(Duration.ofSeconds(90)), unreachable.output());
    assertTrue(unreachable.output().contains("does not answer"), unreachable.output());
    Map<String, String> noEcs = toolEnv();
    int deadPort = LocalHosts.freePort();
    noEcs.put("AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:" + deadPort);
    ChildProcess ecsDown = tool(noEcs, "status", "--deployment", "d", "--cluster", "c");
    assertEquals(1, ecsDown.awaitExit(Duration.ofSeconds(120)), ecsDown.output());
    // The service, the operation, the endpoint and the cause, in one line.
    assertTrue(
        ecsDown
            .output()
            .startsWith("drainhost-deploy: AWS Ecs ListServices at http://127.0.0.1:" + deadPort),
        ecsDown.output());
    assertTrue(ecsDown.output().contains("ConnectException"), ecsDown.output());
    Map<String, String> unresolved = toolEnv();
    unresolved.put("AWS_ENDPOINT_URL_ECS", "http://ecs.endpoint.invalid");
    ChildProcess nowhere = tool(unresolved, "status", "--deployment", "d", "--cluster", "c");
    assertEquals(1, nowhere.awaitExit(Duration.ofSeconds(120)), nowhere.output());
    assertTrue(
        nowhere.output().contains("AWS Ecs ListServices at http://ecs.endpoint.invalid")
            && nowhere.output().contains("UnknownHostException: ecs.endpoint.invalid"),
        nowhere.output());
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
    for (String command : List.of("deploy", "check", "status", "rollout", "rollback", "sunset")) {
      ChildProcess help = tool(command, "--help");
      assertEquals(0, help.awaitExit(Duration.ofSeconds(60)), help.output());
      assertTrue(help.output().contains("Usage: drainhost-deploy " + command), help.output());
    }
    for (ChildProcess p :
        List.of(
            noBuild,
            noImage,
            untagged,
            badSteps,
            badRate,
            unreachable,
            ecsDown,
            nowhere,
            badTimes)) {
      assertFalse(p.output().contains("\tat "), "no stack trace: " + p.output());
    }
  }
}
