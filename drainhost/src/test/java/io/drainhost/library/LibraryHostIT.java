package io.drainhost.library;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.DrainHost;
import io.drainhost.config.ConfigLoader;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A host as a team builds it from the library alone: its own workflows, two task queues. */
class LibraryHostIT {
  @Test
  void aHostWithTwoTaskQueuesRunsTracksAndDrainsTheWorkOfBothWithinItsSlotLimits() {
    String orders = "orders-" + UUID.randomUUID();
    String reports = "reports-" + UUID.randomUUID();
    ReportWorkflowImpl.reportsQueue = reports;
    ReportActivitiesImpl activities = new ReportActivitiesImpl();
    DrainHost host =
        DrainHost.builder()
            .config(
                ConfigLoader.load(
                    Map.of(
                        "DRAINHOST_PORT",
                        "0",
                        "DRAINHOST_BIND",
                        "127.0.0.1",
                        "DRAINHOST_TASK_QUEUE",
                        orders)))
            .registerWorkflowImplementationTypes(ReportWorkflowImpl.class)
            .worker(reports, w -> w.registerActivitiesImplementations(activities).activitySlots(2))
            .build()
            .start();
    int port = host.port();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "active".equals(given().port(port).get("/health").path("polling")));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(
          given()
              .port(port)
              .contentType("application/json")
              .body("{\"workflowType\":\"ReportWorkflow\",\"input\":\"r" + i + "\"}")
              .post("/executions")
              .then()
              .statusCode(201)
              .extract()
              .path("workflowId"));
    }
    // The reports worker has two activity slots: two attempts run, three wait on the server.
    await("two reports render")
        .atMost(Duration.ofSeconds(20))
        .until(() -> activities.running.get() == 2);
    given()
        .port(port)
        .get("/inflight")
        .then()
        .statusCode(200)
        .body("items.findAll { it.kind == 'activity' }.size()", equalTo(2))
        .body(
            "items.findAll { it.kind == 'activity' }.taskQueue.unique()",
            equalTo(List.of(reports)));
    activities.release.countDown();
    for (String id : ids) {
      await(id)
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> "COMPLETED".equals(given().port(port).get("/executions/" + id).path("status")));
      // The workflow ran on the orders queue, its activity on the reports queue, in one host.
      given()
          .port(port)
          .get("/executions/" + id)
          .then()
          .body("result", equalTo("report for r" + ids.indexOf(id)));
    }
    assertEquals(2, activities.mostAtOnce.get(), "never more than the worker's two activity slots");

    host.drain("test");
    assertEquals(0, host.awaitExit());
  }

  @Test
  void aServiceWithoutTheEmbeddedServerThatSetsNoAddressGetsAConfigurationError() throws Exception {
    Process p = userMainWithoutTheEmbeddedServer();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, p.exitValue(), out);
    assertTrue(
        out.contains(
            "TEMPORAL_ADDRESS is not set and the embedded Temporal server is not on the classpath"),
        out);
    assertTrue(
        !out.contains("NoClassDefFoundError") && !out.contains("ClassNotFoundException"), out);
  }

  /**
   * Its replay check, with no Temporal to check against, could not check (1, as the README says),
   * and says so on stdout, where its table goes; its log lines go to stderr.
   */
  @Test
  void itsReplayCheckWithNoAddressCouldNotCheckAndItsStdoutIsTheTableAlone() throws Exception {
    Process p = userMainWithoutTheEmbeddedServer("replay-check");
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, p.exitValue(), out + err);
    assertEquals(
        "replay check: could not check: no Temporal to check against (set TEMPORAL_ADDRESS)",
        out.strip(),
        "stdout is the check's output alone; stderr: " + err);
  }

  /**
   * The user's main in a JVM of its own with the test classpath less temporal-test-server: what a
   * service that leaves out the optional dependency has.
   */
  private static Process userMainWithoutTheEmbeddedServer(String... args) throws Exception {
    String classpath =
        Arrays.stream(
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"))
                    .split(File.pathSeparator))
            .filter(entry -> !entry.contains("temporal-test-server"))
            .collect(Collectors.joining(File.pathSeparator));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-cp", classpath, LibraryUserMain.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("DRAINHOST_") || k.startsWith("TEMPORAL_"));
    pb.environment().put("DRAINHOST_PORT", "0");
    pb.redirectErrorStream(args.length == 0);
    return pb.start();
  }
}
