package io.drainhost;

import static io.drainhost.support.Api.metric;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.support.Api;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import io.drainhost.testing.TemporalServers;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Temporal that is late, killed and restarted, with the real jar and a Temporal server of the kind
 * the subclass names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.Tag(io.drainhost.support.Timing.TAG)
abstract class ResilienceSuite {
  abstract TemporalServer.Kind kind();

  @BeforeAll
  void serverKindAvailable() {
    TemporalServers.requireAvailable(kind(), getClass());
  }

  TemporalServer startServer(int port) {
    return TemporalServer.start(kind(), port);
  }

  static Map<String, String> env(int temporalPort, Map<String, String> extra) {
    return LocalHosts.hostEnv(temporalPort, "resilience-" + UUID.randomUUID(), extra);
  }

  static String url(int port, String path) {
    return "http://127.0.0.1:" + port + path;
  }

  static Response startGreeting(int port) {
    return RestAssured.given()
        .contentType("application/json")
        .body("{\"workflowType\":\"GreetingWorkflow\",\"input\":{\"name\":\"Ada\"}}")
        .post(url(port, "/executions"));
  }

  static void awaitGreetingWorks(int port, Duration timeout) {
    String[] id = new String[1];
    await("a start succeeds")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Response r = startGreeting(port);
              if (r.statusCode() == 201) {
                id[0] = r.path("workflowId");
                return true;
              }
              return false;
            });
    await("the workflow completes")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                "COMPLETED"
                    .equals(
                        RestAssured.given().get(url(port, "/executions/" + id[0])).path("status")));
    RestAssured.given()
        .get(url(port, "/executions/" + id[0]))
        .then()
        .body("result", equalTo("Hello, Ada!"));
  }

  @Test
  void hostStartsBeforeTemporalServesHealthAndFailsFastThenWorksWhenTemporalArrives()
      throws Exception {
    int temporalPort = LocalHosts.freePort();
    try (ChildProcess host = ChildProcess.start("early-host", env(temporalPort, Map.of()))) {
      int port = host.awaitHttpPort();
      long started = System.nanoTime();
      RestAssured.given().get(url(port, "/health/live")).then().statusCode(200);
      // Not ready before the replay gate's verdict, which waits for Temporal (at most the replay
      // timeout); the API answers meanwhile, and fails fast.
      RestAssured.given()
          .get(url(port, "/health"))
          .then()
          .statusCode(503)
          .body("status", equalTo("starting"))
          .body("replay", equalTo("running"))
          .body("temporal", equalTo("disconnected"));
      // HTTP answers before the rest of the host has started ("starting" then): a start is
      // refused for Temporal's absence once the host serves.
      await("the host serves without Temporal")
          .atMost(Duration.ofSeconds(10))
          .until(() -> !"starting".equals(startGreeting(port).jsonPath().getString("error")));
      long t = System.nanoTime();
      startGreeting(port)
          .then()
          .statusCode(503)
          .header("Retry-After", "1")
          .body("error", equalTo("temporal_unavailable"));
      // Promised: at once, not after the request timeout (5 s); measured in milliseconds
      // (bench-outage: median 3–5 ms, slowest 210 ms), bound at 1 s for a slow machine.
      long failFastMs = (System.nanoTime() - t) / 1_000_000;
      assertTrue(failFastMs < 1000, "fail fast: " + failFastMs + " ms");
      RestAssured.given()
          .get(url(port, "/metrics"))
          .then()
          .body(org.hamcrest.Matchers.containsString("drainhost_temporal_connected 0.0"));

      Thread.sleep(
          Math.max(
              0, Duration.ofSeconds(10).toMillis() - (System.nanoTime() - started) / 1_000_000));
      try (TemporalServer dev = startServer(temporalPort)) {
        awaitGreetingWorks(port, Duration.ofSeconds(30));
        assertTrue(host.alive());
        RestAssured.given().get(url(port, "/health")).then().body("temporal", equalTo("connected"));
        host.signal("TERM");
        assertEquals(0, host.awaitExit(Duration.ofSeconds(20)), host.tail());
        dev.stop();
      }
    }
  }

  @Test
  void temporalKilledUnderLoadGives503AtOnceAndWorkResumesAfterItsRestart() throws Exception {
    int temporalPort = LocalHosts.freePort();
    TemporalServer dev = startServer(temporalPort);
    try (ChildProcess host = ChildProcess.start("outage-host", env(temporalPort, Map.of()))) {
      int port = host.awaitHttpPort();
      host.awaitLog("workers started", Duration.ofSeconds(60));
      awaitGreetingWorks(port, Duration.ofSeconds(30));

      double refusedBefore = refusedForTemporal(port);
      dev.kill();
      List<Long> latencies = new ArrayList<>();
      long outageStart = System.nanoTime();
      while (System.nanoTime() - outageStart < Duration.ofSeconds(10).toNanos()) {
        long t = System.nanoTime();
        Response r = startGreeting(port);
        latencies.add((System.nanoTime() - t) / 1_000_000);
        assertEquals(503, r.statusCode(), r.asString());
        assertEquals("temporal_unavailable", r.path("error"));
        assertEquals("1", r.header("Retry-After"));
        Thread.sleep(100);
      }
      assertTrue(host.alive(), "the host never exits");
      long worst = latencies.stream().mapToLong(Long::longValue).max().orElseThrow();
      // bench-outage measured the slowest (the request in flight when the server died) at
      // 100–210 ms; 1 s leaves room for a slow machine and still catches a wait for the 5 s
      // request timeout.
      assertTrue(worst < 1000, "every start refused at once; worst " + worst + " ms");
      RestAssured.given()
          .get(url(port, "/health"))
          .then()
          .statusCode(200)
          .body("temporal", equalTo("disconnected"));

      double refusedDuringOutage = refusedForTemporal(port) - refusedBefore;
      dev.restart();
      long back = System.nanoTime();
      awaitGreetingWorks(port, Duration.ofSeconds(30));
      System.out.printf(
          "outage: %d starts refused, worst %d ms; work completed %d ms after the server was back%n",
          latencies.size(), worst, (System.nanoTime() - back) / 1_000_000);
      // Fresh workers replaced the ones whose pollers were backing off (not the SDK recovering).
      assertTrue(host.output().contains("workers restarted after a Temporal outage"), host.tail());
      // What happened is in the metrics: the refused starts by reason (counted before the
      // restart, while only the test's starts were refused), failures, reconnects.
      String metrics = RestAssured.given().get(url(port, "/metrics")).asString();
      assertEquals(
          (double) latencies.size(),
          refusedDuringOutage,
          "drainhost_executions_rejected_total{reason=temporal_unavailable}");
      assertTrue(
          metric(metrics, "drainhost_temporal_connection_failures_total{kind=\"hard\"}") >= 1,
          metrics);
      assertTrue(metric(metrics, "drainhost_temporal_reconnect_attempts_total") >= 1, metrics);
      assertEquals(1.0, metric(metrics, "drainhost_temporal_connected"), metrics);
      host.signal("TERM");
      assertEquals(0, host.awaitExit(Duration.ofSeconds(20)), host.tail());
    } finally {
      dev.close();
    }
  }

  @Test
  void apiKeyNeverAppearsInLogsOrResponses() throws Exception {
    String key = "tmprl-secret-" + UUID.randomUUID();
    int temporalPort = LocalHosts.freePort();
    // A real connection that carries the key: TLS off, because an API key turns TLS on by
    // default and the local server speaks plaintext (which ignores the key). A key in clear is
    // refused at start unless allowed on purpose, as here.
    try (TemporalServer dev = startServer(temporalPort);
        ChildProcess host =
            ChildProcess.start(
                "secret",
                env(
                    temporalPort,
                    Map.of(
                        "TEMPORAL_API_KEY",
                        key,
                        "TEMPORAL_TLS",
                        "false",
                        "DRAINHOST_ALLOW_PLAINTEXT_API_KEY",
                        "true",
                        "DRAINHOST_LOG_FORMAT",
                        "json")))) {
      int port = host.awaitHttpPort();
      host.awaitLog("workers started", Duration.ofSeconds(60));
      awaitGreetingWorks(port, Duration.ofSeconds(30));
      StringBuilder responses = new StringBuilder();
      responses.append(RestAssured.given().get(url(port, "/health")).asString());
      responses.append(RestAssured.given().get(url(port, "/metrics")).asString());
      responses.append(RestAssured.given().get(url(port, "/inflight")).asString());
      responses.append(startGreeting(port).asString());
      host.signal("TERM");
      assertEquals(0, host.awaitExit(Duration.ofSeconds(20)), host.tail());
      assertTrue(host.output().contains("apiKey=set"), host.tail());
      assertTrue(!host.output().contains(key), "the key leaked into the log");
      assertTrue(!responses.toString().contains(key), "the key leaked into a response");
    }
  }

  @Test
  void drainWhileTemporalIsDownExitsInsideItsBudgetWithCode3() throws Exception {
    int temporalPort = LocalHosts.freePort();
    Map<String, String> budget =
        Map.of(
            "DRAINHOST_SHUTDOWN_TIMEOUT",
            "3s",
            "DRAINHOST_STOP_TIMEOUT",
            "7s",
            "DRAINHOST_HANDOFF_MARGIN",
            "3s");
    try (TemporalServer dev = startServer(temporalPort);
        ChildProcess host = ChildProcess.start("down-drain", env(temporalPort, budget))) {
      int port = host.awaitHttpPort();
      host.awaitLog("workers started", Duration.ofSeconds(60));
      RestAssured.given()
          .contentType("application/json")
          .body("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":60}}")
          .post(url(port, "/executions"))
          .then()
          .statusCode(201);
      await().atMost(Duration.ofSeconds(10)).until(() -> Api.activitiesInFlight(port) == 1);
      dev.kill();
      long t = System.nanoTime();
      host.signal("TERM");
      int exit = host.awaitExit(Duration.ofSeconds(15));
      Duration took = Duration.ofNanos(System.nanoTime() - t);
      assertEquals(3, exit, "the activity could not be handed back: " + host.tail());
      assertTrue(took.compareTo(Duration.ofSeconds(7)) < 0, "inside the stop timeout: " + took);
    }
  }

  /** Start requests refused because Temporal was unavailable, so far (0 before the first). */
  private static double refusedForTemporal(int port) {
    double n =
        metric(
            RestAssured.given().get(url(port, "/metrics")).asString(),
            "drainhost_executions_rejected_total{reason=\"temporal_unavailable\"}");
    return Math.max(0, n);
  }
}
