package io.drainhost;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drainhost.support.InProcessHost;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real host (embedded Temporal, real HTTP on an ephemeral port) driven over HTTP. */
class HostIT {
  static final int MAX_BODY = 4096;
  static DrainHost host;

  @BeforeAll
  static void startHost() {
    host = InProcessHost.start(Map.of("DRAINHOST_MAX_BODY_BYTES", Integer.toString(MAX_BODY)));
    RestAssured.port = host.port();
  }

  @AfterAll
  static void stopHost() {
    host.drain("test");
    assertEquals(0, host.awaitExit());
  }

  static Response startExecution(String body) {
    return given().contentType(ContentType.JSON).body(body).post("/executions");
  }

  static Map<String, Object> awaitClosed(String workflowId) {
    Object[] last = new Object[1];
    await("workflow " + workflowId + " closes")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Map<String, Object> body =
                  given()
                      .get("/executions/{id}", workflowId)
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath()
                      .getMap("");
              last[0] = body;
              return !"RUNNING".equals(body.get("status"));
            });
    @SuppressWarnings("unchecked")
    Map<String, Object> result = (Map<String, Object>) last[0];
    return result;
  }

  @Test
  void greetingWorkflowCompletesWithHelloAda() {
    String workflowId =
        startExecution("{\"workflowType\":\"GreetingWorkflow\",\"input\":{\"name\":\"Ada\"}}")
            .then()
            .statusCode(201)
            .header("Location", matchesPattern("/executions/.+"))
            .extract()
            .path("workflowId");
    Map<String, Object> closed = awaitClosed(workflowId);
    assertEquals("COMPLETED", closed.get("status"));
    assertEquals("GreetingWorkflow", closed.get("workflowType"));
    assertEquals("Hello, Ada!", closed.get("result"));
  }

  @Test
  void sleepWorkflowShowsInInflightAndMetricsWhileItRunsAndDisappearsAfter() {
    startExecution(
            "{\"workflowType\":\"SleepWorkflow\",\"workflowId\":\"inflight-1\",\"input\":{\"seconds\":3}}")
        .then()
        .statusCode(201);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                given()
                    .get("/inflight")
                    .then()
                    .body(
                        "items.findAll { it.workflowId == 'inflight-1' }.kind", hasItem("activity"))
                    .body("items.findAll { it.workflowId == 'inflight-1' }.type", hasItem("Sleep"))
                    .body("items.findAll { it.workflowId == 'inflight-1' }.attempt", hasItem(1)));
    given()
        .get("/metrics")
        .then()
        .body(matchesPattern("(?s).*drainhost_inflight\\{kind=\"activity\"} [1-9].*"));
    Map<String, Object> closed = awaitClosed("inflight-1");
    assertEquals("COMPLETED", closed.get("status"));
    assertEquals(Map.of("slept", 3, "attempts", 1, "resumedFrom", 0), closed.get("result"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                given()
                    .get("/inflight")
                    .then()
                    .body("items.workflowId", not(hasItem("inflight-1"))));
  }

  @Test
  void malformedJsonIsInvalidJson() {
    startExecution("{\"workflowType\": ")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_json"))
        .body("message", containsString("not valid JSON"));
    startExecution("").then().statusCode(400).body("error", equalTo("invalid_json"));
  }

  @Test
  void missingOrWrongTypedFieldsAreInvalidRequest() {
    startExecution("{\"input\":{}}")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_request"))
        .body("message", containsString("workflowType is required"));
    startExecution("{\"workflowType\":42}")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_request"))
        .body("message", containsString("workflowType must be"));
    startExecution("[1,2]")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_request"))
        .body("message", containsString("JSON object"));
    startExecution(
            "{\"workflowType\":\"GreetingWorkflow\",\"workflowId\":7,\"input\":{\"name\":\"x\"}}")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_request"))
        .body("message", containsString("workflowId"));
    startExecution("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":-1}}")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_request"))
        .body("message", containsString("0 to 3600"));
    startExecution("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":\"many\"}}")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_request"));
    startExecution("{\"workflowType\":\"GreetingWorkflow\"}")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_request"))
        .body("message", containsString("input is required"));
  }

  @Test
  void unknownWorkflowTypeIsRejectedNamingTheRegisteredOnes() {
    startExecution("{\"workflowType\":\"NoSuchWorkflow\"}")
        .then()
        .statusCode(400)
        .body("error", equalTo("unknown_workflow_type"))
        .body("message", containsString("NoSuchWorkflow"))
        .body("message", containsString("GreetingWorkflow"));
  }

  @Test
  void duplicateRunningWorkflowIdIsAlreadyStarted() {
    String body =
        "{\"workflowType\":\"SleepWorkflow\",\"workflowId\":\"dup-1\",\"input\":{\"seconds\":2}}";
    startExecution(body).then().statusCode(201);
    startExecution(body).then().statusCode(409).body("error", equalTo("already_started"));
  }

  @Test
  void bodyOverTheLimitIsPayloadTooLarge() {
    String big =
        "{\"workflowType\":\"GreetingWorkflow\",\"input\":{\"name\":\""
            + "x".repeat(MAX_BODY)
            + "\"}}";
    startExecution(big)
        .then()
        .statusCode(413)
        .body("error", equalTo("payload_too_large"))
        .body("message", containsString("DRAINHOST_MAX_BODY_BYTES"));
  }

  @Test
  void getWithWaitHoldsTheRequestUntilTheWorkflowCloses() {
    startExecution(
            "{\"workflowType\":\"SleepWorkflow\",\"workflowId\":\"wait-1\",\"input\":{\"seconds\":2}}")
        .then()
        .statusCode(201);
    given()
        .get("/executions/{id}?wait=30s", "wait-1")
        .then()
        .statusCode(200)
        .body("status", equalTo("COMPLETED"))
        .body("result.slept", equalTo(2));
    given()
        .get("/executions/{id}?wait=forever", "wait-1")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_request"))
        .body("message", containsString("wait"));
    given()
        .get("/executions/{id}?wait=2m", "wait-1")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_request"));
    given()
        .get("/executions/{id}?wait=1s", "no-such-workflow")
        .then()
        .statusCode(404)
        .body("error", equalTo("not_found"));
  }

  @Test
  void hostileInputGetsAJsonErrorNeverA500() {
    startExecution("[".repeat(1500) + "]".repeat(1500))
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_json"));
    startExecution("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":1e30}}")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_request"));
    given()
        .header("X-Big", "a".repeat(20_000))
        .get("/health")
        .then()
        .statusCode(431)
        .contentType(ContentType.JSON)
        .body("error", equalTo("request_header_fields_too_large"));
    String id = "odd id/with?chars#";
    startExecution(
            "{\"workflowType\":\"GreetingWorkflow\",\"workflowId\":\""
                + id
                + "\",\"input\":{\"name\":\"x\"}}")
        .then()
        .statusCode(201)
        .header("Location", equalTo("/executions/odd%20id%2Fwith%3Fchars%23"));
    given()
        .urlEncodingEnabled(false)
        .get("/executions/odd%20id%2Fwith%3Fchars%23")
        .then()
        .statusCode(200)
        .body("workflowId", equalTo(id));
    given().get("/metrics").then().body(not(containsString("status=\"500\"")));
  }

  @Test
  void unknownWorkflowIdIsNotFound() {
    given()
        .get("/executions/{id}", "no-such-workflow")
        .then()
        .statusCode(404)
        .body("error", equalTo("not_found"));
  }

  @Test
  void healthAndLivenessAnswerWhileServing() {
    given()
        .get("/health")
        .then()
        .statusCode(200)
        .body("status", equalTo("serving"))
        .body("temporal", equalTo("connected"))
        .body("readyForTermination", equalTo(false));
    given().get("/health/live").then().statusCode(200).body("status", equalTo("alive"));
    given().get("/no/such/route").then().statusCode(404).body("error", equalTo("not_found"));
  }

  @Test
  void fiftyConcurrentSleepsAllCompleteAndInflightReturnsToZero() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<String>> started = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String id = "fifty-" + i;
      started.add(
          pool.submit(
              () ->
                  startExecution(
                          "{\"workflowType\":\"SleepWorkflow\",\"workflowId\":\""
                              + id
                              + "\",\"input\":{\"seconds\":1}}")
                      .then()
                      .statusCode(201)
                      .extract()
                      .<String>path("workflowId")));
    }
    List<String> ids = new ArrayList<>();
    for (Future<String> f : started) {
      ids.add(f.get());
    }
    pool.shutdown();
    for (String id : ids) {
      Map<String, Object> closed = awaitClosed(id);
      assertEquals("COMPLETED", closed.get("status"), id);
    }
    await("in-flight count back to zero")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                given()
                    .get("/inflight")
                    .then()
                    .body(
                        "items.workflowId.findAll { it.startsWith('fifty-') }",
                        org.hamcrest.Matchers.empty()));
    // Other tests of this class may still run work; this batch must leave nothing behind, and no
    // counter may be negative.
    given()
        .get("/metrics")
        .then()
        .body(not(containsString("drainhost_inflight{kind=\"activity\"} -")))
        .body(not(containsString("drainhost_inflight{kind=\"workflow_task\"} -")));
  }
}
