package io.drainhost;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.support.Api;
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
  static final int MAX_WAITERS = 2;
  static DrainHost host;

  @BeforeAll
  static void startHost() {
    host =
        InProcessHost.start(
            Map.of(
                "DRAINHOST_MAX_BODY_BYTES",
                Integer.toString(MAX_BODY),
                "DRAINHOST_MAX_WAITERS",
                Integer.toString(MAX_WAITERS)));
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
  void duplicateRunningWorkflowIdIsAlreadyStartedWithTheRunningRunId() {
    String body =
        "{\"workflowType\":\"SleepWorkflow\",\"workflowId\":\"dup-1\",\"input\":{\"seconds\":2}}";
    String runId = startExecution(body).then().statusCode(201).extract().path("runId");
    startExecution(body)
        .then()
        .statusCode(409)
        .body("error", equalTo("already_started"))
        .body("runId", equalTo(runId));
  }

  @Test
  void aRetriedStartOfAWorkflowThatAlreadyCompletedDoesNotRunItAgain() {
    String body =
        "{\"workflowType\":\"GreetingWorkflow\",\"workflowId\":\"once-1\",\"input\":{\"name\":\"Ada\"}}";
    String runId = startExecution(body).then().statusCode(201).extract().path("runId");
    assertEquals("COMPLETED", awaitClosed("once-1").get("status"));
    startExecution(body)
        .then()
        .statusCode(409)
        .body("error", equalTo("already_started"))
        .body("runId", equalTo(runId));
    given().get("/executions/once-1").then().body("runId", equalTo(runId));
  }

  @Test
  void aMisspelledFieldIsRejectedNamingItInsteadOfIgnored() {
    startExecution(
            "{\"workflowType\":\"GreetingWorkflow\",\"workflowID\":\"typo\",\"input\":{\"name\":\"x\"}}")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_request"))
        .body("message", containsString("unknown field 'workflowID'"));
  }

  @Test
  void inputsOfTheWrongTypeAreRejectedNotCoerced() {
    Map<String, String> cases =
        Map.of(
            "\"GreetingWorkflow\",\"input\":{\"name\":5}", "input.name must be a string",
            "\"GreetingWorkflow\",\"input\":{\"name\":true}", "input.name must be a string",
            "\"SleepWorkflow\",\"input\":{\"seconds\":1.5}",
                "input.seconds must be a whole number from 0 to 3600",
            "\"SleepWorkflow\",\"input\":{\"seconds\":\"5\"}",
                "input.seconds must be a whole number from 0 to 3600");
    assertEachIsRefusedWithItsMessage(cases);
  }

  @Test
  void anInputIsCheckedAgainstTheSchemaThatOpenApiPublishesForItsType() {
    Map<String, String> cases =
        Map.of(
            "\"GreetingWorkflow\",\"input\":{\"name\":\" \\t\"}",
            "input.name must not be blank",
            "\"GreetingWorkflow\",\"input\":{\"name\":\"x\",\"nick\":\"y\"}",
            "unknown field 'input.nick'",
            "\"ReportWorkflow\",\"input\":{\"report\":\"r\",\"sinkUrl\":\"ftp://x\"}",
            "input.sinkUrl must be an http(s) URL",
            "\"ReportWorkflow\",\"input\":{\"report\":\"r\",\"sinkUrl\":\"http://x\","
                + "\"deliverWithin\":\"soon\"}",
            "input.deliverWithin must be a duration such as 30s, 15m or 6h",
            "\"ReportWorkflow\",\"input\":{\"deliverWithin\":\"1h\"}",
            "input.report is required; input.sinkUrl is required",
            "\"GreetingWorkflow\",\"workflowId\":\" \",\"input\":{\"name\":\"x\"}",
            "workflowId must have a character besides whitespace and no control characters",
            "\"GreetingWorkflow\",\"workflowId\":null,\"input\":{\"name\":\"x\"}",
            "workflowId must not be null");
    assertEachIsRefusedWithItsMessage(cases);
  }

  /** Each start body (after {@code "workflowType":}) is a 400 invalid_request with its message. */
  private static void assertEachIsRefusedWithItsMessage(Map<String, String> cases) {
    cases.forEach(
        (input, message) ->
            startExecution("{\"workflowType\":" + input + "}")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("message", equalTo(message)));
  }

  @Test
  void waitTakesExactlyWhatItsPatternDescribes() {
    for (String wait : List.of("0ms", "60000ms", "60s", "5s")) {
      given().get("/executions/no-such-run?wait=" + wait).then().statusCode(404);
    }
    for (String wait : List.of("", "61s", "60001ms", "1m", "PT1S", "05s", "-1s", "1.5s")) {
      given()
          .get("/executions/no-such-run?wait=" + wait)
          .then()
          .statusCode(400)
          .body("error", equalTo("invalid_request"))
          .body("message", containsString("wait must be a duration"));
    }
  }

  @Test
  void trailingContentAfterTheJsonValueIsInvalidJson() {
    String ok = "{\"workflowType\":\"GreetingWorkflow\",\"input\":{\"name\":\"x\"}}";
    for (String trailing : List.of(" xyz", "{\"a\":1}", "]")) {
      startExecution(ok + trailing).then().statusCode(400).body("error", equalTo("invalid_json"));
    }
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
  void aKnownPathWithAnotherMethodIs405NamingTheAllowedOneAndAnUnknownPathIs404() {
    for (String[] c :
        new String[][] {
          {"DELETE", "/executions", "POST"},
          {"GET", "/executions", "POST"},
          {"PUT", "/executions/some-id", "GET"},
          {"POST", "/health", "GET"},
          {"POST", "/metrics", "GET"}
        }) {
      given()
          .request(c[0], c[1])
          .then()
          .statusCode(405)
          .header("Allow", c[2])
          .contentType(ContentType.JSON)
          .body("error", equalTo("method_not_allowed"))
          .body("message", containsString("allowed: " + c[2]));
    }
    given().get("/no/such/path").then().statusCode(404).body("error", equalTo("not_found"));
  }

  @Test
  void aBodyDeclaredAsAnythingButJsonIs415() {
    String body = "{\"workflowType\":\"GreetingWorkflow\",\"input\":{\"name\":\"x\"}}";
    for (String type :
        List.of("text/plain", "application/x-www-form-urlencoded", "application/xml")) {
      given()
          .contentType(type)
          .body(body)
          .post("/executions")
          .then()
          .statusCode(415)
          .body("error", equalTo("unsupported_media_type"));
    }
    given()
        .contentType("application/json; charset=utf-8")
        .body(body)
        .post("/executions")
        .then()
        .statusCode(201);
  }

  @Test
  void aBodyWithNoContentTypeIs415AndANumberPastADoublesRangeIs400() throws Exception {
    // A page of another site can POST a body with no type and no CORS preflight: refused.
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> untyped =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + host.port() + "/executions"))
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"workflowType\":\"GreetingWorkflow\",\"input\":{\"name\":\"x\"}}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(415, untyped.statusCode(), untyped.body());
    assertTrue(untyped.body().contains("unsupported_media_type"), untyped.body());
    assertTrue(untyped.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    for (String number : List.of("1e400", "-1e400")) {
      startExecution("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":" + number + "}}")
          .then()
          .statusCode(400)
          .body("error", equalTo("invalid_request"))
          .body("message", containsString("numbers must be finite"));
      // Wherever it is: one the schema does not look into is refused all the same.
      startExecution("{\"workflowType\":\"GreetingWorkflow\",\"x\":[[" + number + "]]}")
          .then()
          .statusCode(400)
          .body("message", containsString("numbers must be finite"));
    }
  }

  @Test
  void waitersPastTheirLimitGet503WithRetryAfterAndAnAnswerWithoutWaitStillComes()
      throws Exception {
    String id = "waiters-" + java.util.UUID.randomUUID();
    startExecution(
            "{\"workflowType\":\"SleepWorkflow\",\"workflowId\":\""
                + id
                + "\",\"input\":{\"seconds\":4}}")
        .then()
        .statusCode(201);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> waits =
        new java.util.ArrayList<>();
    for (int i = 0; i < MAX_WAITERS; i++) {
      waits.add(
          http.sendAsync(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(
                          "http://127.0.0.1:" + host.port() + "/executions/" + id + "?wait=30s"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString()));
    }
    await("both waits are held")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                given()
                    .get("/metrics")
                    .asString()
                    .contains("drainhost_http_waiters " + MAX_WAITERS + ".0"));
    given()
        .get("/executions/{id}?wait=5s", id)
        .then()
        .statusCode(503)
        .header("Retry-After", "1")
        .body("error", equalTo("too_many_waiters"));
    given().get("/executions/{id}", id).then().statusCode(200).body("status", equalTo("RUNNING"));
    for (var wait : waits) {
      var r = wait.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"COMPLETED\""), r.body());
    }
  }

  @Test
  void anUnsupportedHttpVersionIs505WithItsOwnCode() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", host.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              "GET /health HTTP/9.9\r\nHost: x\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String response =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(response.startsWith("HTTP/1.1 505"), response);
      assertTrue(response.contains("\"error\":\"http_version_not_supported\""), response);
    }
  }

  @Test
  void readinessThatFailsBecauseTemporalIsUnreachableSaysSo() {
    DrainHost lonely =
        InProcessHost.start(
            Map.of(
                "TEMPORAL_ADDRESS",
                "127.0.0.1:" + io.drainhost.testing.LocalHosts.freePort(),
                "DRAINHOST_READINESS_REQUIRES_TEMPORAL",
                "true",
                // "starting" until the replay gate's verdict, which comes at its deadline here.
                "DRAINHOST_REPLAY_TIMEOUT",
                "1s"));
    try {
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  given()
                      .port(lonely.port())
                      .get("/health")
                      .then()
                      .statusCode(503)
                      .body("status", equalTo("temporal_unavailable"))
                      .body("temporal", equalTo("disconnected")));
    } finally {
      lonely.drain("test");
      assertEquals(0, lonely.awaitExit(), "nothing was in flight: a clean exit");
    }
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

  @Test
  void onTheEmbeddedServerDeclaredSchedulesAreReportedUnsupportedAndExecutionsStillRun()
      throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("schedules", ".json");
    java.nio.file.Files.writeString(
        file,
        "[{\"id\": \"daily-triage\", \"workflowType\": \"GreetingWorkflow\", \"input\":"
            + " {\"name\": \"triage\"}, \"cron\": \"20 7 * * *\", \"timeZone\":"
            + " \"Europe/Berlin\", \"misfirePolicy\": \"catchup_latest\", \"tolerance\": \"5m\"}]");
    DrainHost embedded = InProcessHost.start(Map.of("DRAINHOST_SCHEDULES", file.toString()));
    try {
      int port = embedded.port();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  given()
                      .port(port)
                      .get("/schedules")
                      .then()
                      .statusCode(200)
                      .body("schedules[0].id", equalTo("daily-triage"))
                      .body("schedules[0].state", equalTo("unsupported"))
                      .body("schedules[0].misfirePolicy", equalTo("catchup_latest"))
                      .body("schedules[0].spec.cron", equalTo("20 7 * * *"))
                      .body("schedules[0].spec.timeZone", equalTo("Europe/Berlin")));
      given()
          .port(port)
          .contentType(ContentType.JSON)
          .body("{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-01-02T00:00:00Z\"}")
          .post("/schedules/daily-triage/backfill")
          .then()
          .statusCode(404)
          .body("error", equalTo("not_found"))
          .body("message", containsString("no Schedules API"));
      Api.start(port, Api.GREET_ADA).then().statusCode(201);
    } finally {
      embedded.drain("test");
      assertEquals(0, embedded.awaitExit());
    }
  }
}
