package io.drainhost.temporal;

import static io.drainhost.support.Api.awaitRun;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.DrainHost;
import io.drainhost.support.InProcessHost;
import io.drainhost.support.ReportSink;
import io.drainhost.testing.DelayingProxy;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the API says when Temporal is unreachable, slow, or ends a run badly: readiness that
 * requires Temporal, the request timeout, and the {@code failure} of FAILED, TERMINATED and
 * TIMED_OUT runs. The Java test server behaves like the real one in all of this.
 */
@org.junit.jupiter.api.Tag(io.drainhost.support.Timing.TAG)
class TemporalTroubleIT {
  static final String GREET =
      "{\"workflowType\":\"GreetingWorkflow\",\"input\":{\"name\":\"Ada\"}}";

  @Test
  void readinessThatRequiresTemporalIs503UntilTemporalAnswersAndTheDefaultStaysServing()
      throws Exception {
    int temporalPort = LocalHosts.freePort(); // nothing there yet
    DrainHost strict =
        InProcessHost.start(
            Map.of(
                "TEMPORAL_ADDRESS",
                "127.0.0.1:" + temporalPort,
                "DRAINHOST_READINESS_REQUIRES_TEMPORAL",
                "true",
                // The replay gate's verdict comes at its deadline while Temporal is away.
                "DRAINHOST_REPLAY_TIMEOUT",
                "1s",
                "DRAINHOST_TASK_QUEUE",
                "readiness-" + UUID.randomUUID()));
    DrainHost lenient =
        InProcessHost.start(
            Map.of(
                "TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort,
                "DRAINHOST_REPLAY_TIMEOUT", "1s",
                "DRAINHOST_TASK_QUEUE", "readiness-" + UUID.randomUUID()));
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  given()
                      .port(strict.port())
                      .get("/health")
                      .then()
                      .statusCode(503)
                      .body("status", equalTo("temporal_unavailable"))
                      .body("replay", equalTo("incomplete"))
                      .body("temporal", equalTo("disconnected")));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  given()
                      .port(lenient.port())
                      .get("/health")
                      .then()
                      .statusCode(200)
                      .body("status", equalTo("serving"))
                      .body("replay", equalTo("incomplete"))
                      .body("temporal", equalTo("disconnected")));
      try (TemporalServer server =
          TemporalServer.start(TemporalServer.Kind.JAVA_TEST_SERVER, temporalPort)) {
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () ->
                    given()
                        .port(strict.port())
                        .get("/health")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("serving"))
                        .body("temporal", equalTo("connected")));
        strict.drain("test");
        lenient.drain("test");
        assertEquals(0, strict.awaitExit());
        assertEquals(0, lenient.awaitExit());
      }
    } finally {
      strict.drain("test");
      lenient.drain("test");
    }
  }

  @Test
  void aTemporalSlowerThanTheRequestTimeoutGets503AfterTheTimeoutNotAHungRequest()
      throws Exception {
    try (TemporalServer server = TemporalServer.start(TemporalServer.Kind.JAVA_TEST_SERVER);
        DelayingProxy proxy = DelayingProxy.start(server.port(), Duration.ZERO)) {
      DrainHost host =
          InProcessHost.start(
              Map.of(
                  "TEMPORAL_ADDRESS",
                  "127.0.0.1:" + proxy.port(),
                  "DRAINHOST_REQUEST_TIMEOUT",
                  "1s",
                  "DRAINHOST_TEMPORAL_CHECK_INTERVAL",
                  "30s",
                  "DRAINHOST_TASK_QUEUE",
                  "slow-" + UUID.randomUUID()));
      try {
        int port = host.port();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    given()
                            .port(port)
                            .contentType(ContentType.JSON)
                            .body(GREET)
                            .post("/executions")
                            .statusCode()
                        == 201);
        proxy.delay(Duration.ofSeconds(3)); // Temporal now answers after 6 s
        long t = System.nanoTime();
        given()
            .port(port)
            .contentType(ContentType.JSON)
            .body(GREET)
            .post("/executions")
            .then()
            .statusCode(503)
            .header("Retry-After", "1")
            .body("error", equalTo("temporal_unavailable"))
            .body("message", containsString("did not answer within 1000 ms"));
        long ms = (System.nanoTime() - t) / 1_000_000;
        assertTrue(ms >= 1000 && ms < 5000, "answered after the 1 s timeout, not after 6 s: " + ms);
        String metrics = given().port(port).get("/metrics").asString();
        assertTrue(
            metrics.contains(
                "drainhost_executions_rejected_total{reason=\"temporal_unavailable\"} 1.0"),
            metrics);
        proxy.delay(Duration.ZERO);
      } finally {
        host.drain("test");
        assertEquals(0, host.awaitExit(), "nothing was in flight: a clean exit");
      }
    }
  }

  @Test
  void failedTerminatedAndTimedOutRunsCarryTheirFailure() throws Exception {
    try (TemporalServer server = TemporalServer.start(TemporalServer.Kind.JAVA_TEST_SERVER);
        ReportSink sink = new ReportSink(LocalHosts.freePort()).start()) {
      String queue = "failures-" + UUID.randomUUID();
      DrainHost host =
          InProcessHost.start(
              Map.of(
                  "TEMPORAL_ADDRESS",
                  server.address(),
                  "DRAINHOST_TASK_QUEUE",
                  queue,
                  // the terminated run's activity may still sleep: do not wait long for it
                  "DRAINHOST_SHUTDOWN_TIMEOUT",
                  "2s"));
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(server.address()).build());
      try {
        int port = host.port();
        WorkflowClient client = WorkflowClient.newInstance(stubs);

        sink.answer(400); // the report sample fails at once on a 4xx
        String failed =
            given()
                .port(port)
                .contentType(ContentType.JSON)
                .body(
                    "{\"workflowType\":\"ReportWorkflow\",\"input\":{\"report\":\"r\",\"sinkUrl\":\""
                        + sink.url()
                        + "\"}}")
                .post("/executions")
                .then()
                .statusCode(201)
                .extract()
                .path("workflowId");
        JsonPath f = awaitRun(port, failed);
        assertEquals("FAILED", f.getString("status"), f.prettify());
        assertEquals("SinkRejected", f.getString("failure.type"), f.prettify());
        assertEquals("sink refused the report: 400", f.getString("failure.message"));

        String terminated =
            given()
                .port(port)
                .contentType(ContentType.JSON)
                .body("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":600}}")
                .post("/executions")
                .then()
                .statusCode(201)
                .extract()
                .path("workflowId");
        client.newUntypedWorkflowStub(terminated).terminate("an operator stopped it");
        JsonPath t = awaitRun(port, terminated);
        assertEquals("TERMINATED", t.getString("status"), t.prettify());
        assertEquals("TerminatedFailure", t.getString("failure.type"), t.prettify());
        assertEquals("an operator stopped it", t.getString("failure.message"), t.prettify());

        String timedOut = "timeout-" + UUID.randomUUID();
        WorkflowStub stub =
            client.newUntypedWorkflowStub(
                "SleepWorkflow",
                WorkflowOptions.newBuilder()
                    .setTaskQueue(queue)
                    .setWorkflowId(timedOut)
                    .setWorkflowExecutionTimeout(Duration.ofSeconds(2))
                    .build());
        stub.start(Map.of("seconds", 600));
        JsonPath o = awaitRun(port, timedOut);
        assertEquals("TIMED_OUT", o.getString("status"), o.prettify());
        assertEquals("TimeoutFailure", o.getString("failure.type"), o.prettify());
        assertTrue(o.getString("failure.message") != null, o.prettify());
      } finally {
        stubs.shutdownNow();
        host.drain("test");
        assertEquals(0, host.awaitExit(), "nothing was in flight: a clean exit");
      }
    }
  }
}
