package io.drainhost.ecs;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.samples.SleepResult;
import io.drainhost.support.Api;
import io.drainhost.support.Histories;
import io.drainhost.support.Hosts;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.Container;
import io.drainhost.testing.ContainerEngine;
import io.drainhost.testing.EcsAgentStandIn;
import io.drainhost.testing.EcsTaskDefinition;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TaskMetadataStandIn;
import io.drainhost.testing.TemporalServer;
import io.drainhost.testing.TemporalServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a team ships, run as ECS runs it: the image built from the repository's Dockerfile, started
 * from {@code ecs/task-definition.json} (its command, environment, user, health check, stop
 * timeout, init, ports, ulimits, CPU and memory, read by {@link EcsTaskDefinition}, which knows
 * every field of the file), against a real Temporal server on the host's network, and stopped as
 * ECS stops a task.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.Tag(io.drainhost.support.Timing.TAG)
class ContainerIT {
  static final Path ROOT = Path.of(System.getProperty("drainhost.root", ".."));
  private static final ObjectMapper JSON = new ObjectMapper();

  ContainerEngine engine;
  TemporalServer server;
  EcsTaskDefinition task;
  String image;

  @BeforeAll
  void buildTheImage() {
    engine = ContainerEngine.require(ContainerIT.class);
    server = TemporalServers.start(TemporalServer.Kind.TEMPORAL_CLI, ContainerIT.class);
    task = EcsTaskDefinition.read(ROOT.resolve("ecs/task-definition.json"));
    image = "localhost/drainhost-it:" + UUID.randomUUID().toString().substring(0, 8);
    Optional<Path> repository =
        Optional.ofNullable(System.getProperty("drainhost.maven.repository"))
            .map(Path::of)
            .filter(Files::isDirectory);
    long start = System.nanoTime();
    engine.build(ROOT, image, repository).requireSuccess("building the image from the Dockerfile");
    System.out.printf(
        "container: built %s from the Dockerfile in %d ms%n",
        image, (System.nanoTime() - start) / 1_000_000);
  }

  @AfterAll
  void removeTheImage() {
    if (engine != null && image != null) {
      engine.run(Duration.ofMinutes(1), "rmi", "-f", image);
    }
    if (server != null) {
      server.stop();
      server.close();
    }
  }

  /** A started task: its container, and the local ports its container ports moved to. */
  record Task(Container container, int port, int managementPort) implements AutoCloseable {
    @Override
    public void close() {
      container.close();
    }
  }

  /**
   * Starts a container from the task definition, with what ECS would add and this machine needs.
   */
  Task startTask(String queue, Map<String, String> extra) {
    return startTask(queue, extra, List.of());
  }

  /** As {@link #startTask(String, Map)}, with these engine options before the task's own. */
  Task startTask(String queue, Map<String, String> extra, List<String> engineOptions) {
    Map<Integer, Integer> ports = new LinkedHashMap<>();
    task.containerPorts().forEach(p -> ports.put(p, LocalHosts.freePort()));
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_ADDRESS", server.address());
    env.put("TEMPORAL_NAMESPACE", "default");
    env.put("DRAINHOST_TASK_QUEUE", queue);
    env.putAll(extra);
    List<String> arguments = new ArrayList<>(engineOptions);
    arguments.addAll(
        task.runArguments(
            task.containerName() + "-" + UUID.randomUUID().toString().substring(0, 8),
            image,
            ports,
            // The local dev server takes no API key (the task definition's is for the cloud).
            Map.of("TEMPORAL_API_KEY", Optional.empty()),
            env));
    Container c = engine.start(arguments);
    List<Integer> moved = new ArrayList<>(ports.values());
    return new Task(c, moved.get(0), moved.get(1));
  }

  private static void awaitReady(Task t) {
    await("the task is ready")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> given().port(t.port()).get("/health").statusCode() == 200);
  }

  /** Every line of stdout is one JSON object, and exactly one of them is the drain report. */
  private static void assertJsonLinesWithOneDrainReport(Container c) throws Exception {
    String out = c.stdout();
    int reports = 0;
    for (String line : out.lines().toList()) {
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (Exception e) {
        throw new AssertionError("a stdout line that is not JSON: " + line, e);
      }
      assertTrue(node.isObject(), "one JSON object per line: " + line);
      if (node.path("formattedMessage").asText("").startsWith("drain report:")) {
        reports++;
      }
    }
    assertEquals(1, reports, "one drain report:\n" + out);
  }

  private static String drainReport(Container c) throws Exception {
    for (String line : c.stdout().lines().toList()) {
      String m = JSON.readTree(line).path("formattedMessage").asText("");
      if (m.startsWith("drain report:")) {
        return m;
      }
    }
    throw new AssertionError("no drain report:\n" + c.stdout());
  }

  @Test
  void theHealthCheckIsHealthyWithinItsStartPeriodAsTheNonRootUserOfAnImageWithoutBuildTools()
      throws Exception {
    try (Task t = startTask("container-" + UUID.randomUUID(), Map.of())) {
      long start = System.nanoTime();
      Duration startPeriod = task.healthCheckStartPeriod();
      while (!t.container().healthy()) {
        assertTrue(
            Duration.ofNanos(System.nanoTime() - start).compareTo(startPeriod) < 0,
            "healthy within the start period " + startPeriod + ":\n" + t.container().stdout());
        Thread.sleep(200);
      }
      System.out.printf(
          "container: the task definition's health check healthy %d ms after the start%n",
          (System.nanoTime() - start) / 1_000_000);
      awaitReady(t);

      String processes = t.container().exec("ps", "-eo", "uid=,args=").stdout();
      if (processes.isBlank()) {
        // No procps in the image: read the processes' owners from /proc.
        processes =
            t.container()
                .exec(
                    "bash",
                    "-c",
                    "for p in /proc/[0-9]*; do echo \"$(stat -c %u $p) $(tr '\\0' ' ' < $p/cmdline)\"; done")
                .stdout();
      }
      assertTrue(processes.contains("drainhost.jar"), processes);
      for (String line : processes.lines().filter(l -> l.contains("drainhost.jar")).toList()) {
        assertTrue(line.strip().startsWith("10001"), "the JVM runs as 10001: " + line);
      }
      ContainerEngine.Result tools =
          t.container()
              .exec(
                  "bash",
                  "-c",
                  "command -v javac || command -v mvn || ls -d /src /root/.m2 2>/dev/null"
                      + " || find / -xdev -type f -name '*.java' -print -quit 2>/dev/null | grep .");
      assertEquals(1, tools.exitCode(), "no compiler, Maven or sources: " + tools.stdout());
      t.container().stop(task.stopTimeout());
      assertEquals(0, t.container().exitCode(), t.container().stdout());
    }
  }

  /**
   * The image's training start covers a task's: the classes a task loads until it is ready come
   * from the class-data archive, not read and verified from the jar. Trained on the embedded
   * server, ~900 of them (gRPC's transport) came from the jar; start → ready took 1.25× as long.
   */
  @Test
  void aTaskLoadsItsClassesFromTheImagesArchiveNotFromTheJar() throws Exception {
    List<String> entrypoint = engine.entrypoint(image);
    entrypoint.add(entrypoint.indexOf("-jar"), "-Xlog:class+load=info:file=/tmp/classes.log");
    try (Task t =
        startTask(
            "container-" + UUID.randomUUID(),
            Map.of(),
            List.of("--entrypoint", JSON.writeValueAsString(entrypoint)))) {
      awaitReady(t);
      List<String> loaded =
          t.container()
              .exec("cat", "/tmp/classes.log")
              .requireSuccess("the class log")
              .stdout()
              .lines()
              .toList();
      long archived =
          loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
      List<String> fromJar = loaded.stream().filter(l -> l.contains("drainhost.jar")).toList();
      System.out.printf(
          "container: a start to ready loaded %d classes from the archive, %d from the jar%n",
          archived, fromJar.size());
      assertTrue(archived > 5_000, "classes from the archive: " + archived);
      assertTrue(
          fromJar.size() < 100,
          fromJar.size()
              + " classes read from the jar; the Dockerfile's training start misses"
              + " them:\n"
              + String.join("\n", fromJar.subList(0, Math.min(40, fromJar.size()))));
    }
  }

  @Test
  void anIdleTaskStoppedAsEcsStopsItExitsZeroAtOnceWithJsonLogs() throws Exception {
    try (Task t = startTask("container-idle-" + UUID.randomUUID(), Map.of())) {
      awaitReady(t);
      Duration took = t.container().stop(task.stopTimeout());
      assertEquals(0, t.container().exitCode(), t.container().stdout());
      assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "at once: " + took);
      assertJsonLinesWithOneDrainReport(t.container());
      System.out.printf("container: an idle stop took %d ms%n", took.toMillis());
    }
  }

  @Test
  void anActivityThatFitsFinishesOnItsFirstAttemptThenTheTaskExitsZero() throws Exception {
    String queue = "container-fits-" + UUID.randomUUID();
    try (Task t = startTask(queue, Map.of())) {
      awaitReady(t);
      String id = "fits-" + UUID.randomUUID();
      Api.start(
              t.port(),
              "{\"workflowType\":\"SleepWorkflow\",\"workflowId\":\""
                  + id
                  + "\",\"input\":{\"seconds\":5}}")
          .then()
          .statusCode(201);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Api.activitiesInFlight(t.managementPort()) == 1);
      Duration took = t.container().stop(task.stopTimeout());
      assertEquals(0, t.container().exitCode(), t.container().stdout());
      assertTrue(took.compareTo(task.stopTimeout()) < 0, "before the SIGKILL: " + took);
      String report = drainReport(t.container());
      assertTrue(report.contains("finished=1 handedOff=0"), report);
      assertJsonLinesWithOneDrainReport(t.container());
      // The run's last workflow task needs a worker, and the container's are gone.
      try (Histories histories = new Histories(server.address());
          ChildProcess after = ChildProcess.start("after", catcherEnv(queue))) {
        SleepResult result =
            histories
                .client()
                .newUntypedWorkflowStub(id)
                .getResult(60, java.util.concurrent.TimeUnit.SECONDS, SleepResult.class);
        assertEquals(1, result.attempts(), "finished on its first attempt: " + result);
      }
    }
  }

  @Test
  void aStragglerIsHandedBackToAHostOutsideTheContainerBeforeTheSigkill() throws Exception {
    String queue = "container-straggler-" + UUID.randomUUID();
    try (Task t = startTask(queue, Map.of())) {
      awaitReady(t);
      String id = "straggler-" + UUID.randomUUID();
      Api.start(
              t.port(),
              "{\"workflowType\":\"SleepWorkflow\",\"workflowId\":\""
                  + id
                  + "\",\"input\":{\"seconds\":60}}")
          .then()
          .statusCode(201);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Api.activitiesInFlight(t.managementPort()) == 1);
      // The catcher polls only now, so the first attempt ran in the container.
      try (ChildProcess catcher = ChildProcess.start("catcher", catcherEnv(queue))) {
        int catcherPort = Hosts.awaitPolling(catcher);
        Duration took = t.container().stop(task.stopTimeout());
        assertEquals(0, t.container().exitCode(), t.container().stdout());
        assertTrue(took.compareTo(task.stopTimeout()) < 0, "before the SIGKILL: " + took);
        String report = drainReport(t.container());
        assertTrue(report.contains("handedOff=1"), report);
        System.out.printf(
            "container: a stop with a straggler handed back took %d ms%n", took.toMillis());
        assertJsonLinesWithOneDrainReport(t.container());
        await("the next attempt runs outside the container")
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    given()
                        .port(catcherPort)
                        .get("/inflight")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("items.findAll { it.workflowId == '" + id + "' }.attempt")
                        .contains(2));
        catcher.signal("TERM");
        assertEquals(0, catcher.awaitExit(Duration.ofSeconds(30)), catcher.tail());
      }
    }
  }

  @Test
  void theEcsMetadataWatcherAndScaleInProtectionWorkFromInsideTheContainer() throws Exception {
    try (TaskMetadataStandIn metadata = new TaskMetadataStandIn();
        EcsAgentStandIn agent = new EcsAgentStandIn()) {
      Map<String, String> ecs = new HashMap<>();
      ecs.put("ECS_CONTAINER_METADATA_URI_V4", metadata.uri());
      ecs.put("ECS_AGENT_URI", agent.uri());
      ecs.put("DRAINHOST_SCALE_IN_PROTECTION", "long-work");
      // Sleeps are long work: protected while they run, handed back when the drain starts.
      ecs.put("DRAINHOST_DRAIN_POLICY", "Sleep=handoff,*=finish");
      try (Task t = startTask("container-ecs-" + UUID.randomUUID(), ecs)) {
        awaitReady(t);
        Api.start(t.port(), "{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":600}}")
            .then()
            .statusCode(201);
        await("protected while long work runs")
            .atMost(Duration.ofSeconds(30))
            .until(agent::protectedNow);
        metadata.desiredStatus("STOPPED");
        // No signal: the task metadata alone starts the drain, which ends the process.
        assertEquals(0, t.container().awaitExit(Duration.ofSeconds(40)), t.container().stdout());
        assertTrue(!agent.protectedNow(), "released when the drain starts: " + agent.puts());
        String report = drainReport(t.container());
        assertTrue(report.contains("trigger=ecs"), report);
        assertTrue(report.contains("handedOff=1"), report);
        assertNotEquals(0, metadata.taskReads());
        assertJsonLinesWithOneDrainReport(t.container());
      }
    }
  }

  private Map<String, String> catcherEnv(String queue) {
    Map<String, String> env = new HashMap<>();
    env.put("DRAINHOST_SHUTDOWN_TIMEOUT", "2s");
    env.put("DRAINHOST_STOP_TIMEOUT", "6s");
    return LocalHosts.hostEnv(server.port(), queue, env);
  }
}
