package io.drainhost.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.DrainHost;
import io.drainhost.support.InProcessHost;
import io.drainhost.testing.ChildProcess;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** DRAINHOST_API_TOKEN guards the API; health stays open; the token never shows. */
class ApiTokenIT {
  static final String START =
      "{\"workflowType\":\"GreetingWorkflow\",\"input\":{\"name\":\"Ada\"}}";

  @Test
  void theApiNeedsTheBearerTokenWhileHealthAndLivenessStayOpen() {
    String token = "tok-" + UUID.randomUUID();
    DrainHost host = InProcessHost.start(Map.of("DRAINHOST_API_TOKEN", token));
    int port = host.port();
    try {
      StringBuilder responses = new StringBuilder();
      responses.append(
          given()
              .port(port)
              .contentType(ContentType.JSON)
              .body(START)
              .post("/executions")
              .then()
              .statusCode(401)
              .header("WWW-Authenticate", containsString("Bearer"))
              .body("error", equalTo("unauthorized"))
              .extract()
              .asString());
      responses.append(
          given()
              .port(port)
              .header("Authorization", "Bearer wrong-" + token)
              .contentType(ContentType.JSON)
              .body(START)
              .post("/executions")
              .then()
              .statusCode(401)
              .body("error", equalTo("unauthorized"))
              .extract()
              .asString());
      responses.append(
          given()
              .port(port)
              .header("Authorization", "Basic " + token)
              .get("/executions/x")
              .then()
              .statusCode(401)
              .extract()
              .asString());
      String id =
          given()
              .port(port)
              .header("Authorization", "Bearer " + token)
              .contentType(ContentType.JSON)
              .body(START)
              .post("/executions")
              .then()
              .statusCode(201)
              .extract()
              .path("workflowId");
      given()
          .port(port)
          .header("Authorization", "bearer " + token)
          .get("/executions/" + id)
          .then()
          .statusCode(200);
      given().port(port).get("/health").then().statusCode(200);
      given().port(port).get("/health/live").then().statusCode(200);
      String metrics =
          given().port(port).get("/metrics").then().statusCode(200).extract().asString();
      assertTrue(
          metrics.contains("drainhost_http_unauthorized_total{reason=\"missing\"} 2.0"), metrics);
      assertTrue(
          metrics.contains("drainhost_http_unauthorized_total{reason=\"wrong\"} 1.0"), metrics);
      responses.append(metrics).append(given().port(port).get("/inflight").asString());
      assertFalse(responses.toString().contains(token), "the token leaked into a response");
    } finally {
      host.drain("test");
      assertEquals(0, host.awaitExit());
    }
  }

  @Test
  void theTokenNeverAppearsInTheLogOfARealProcess() {
    String token = "tok-" + UUID.randomUUID();
    try (ChildProcess host =
        ChildProcess.start(
            "token",
            Map.of(
                "DRAINHOST_API_TOKEN", token,
                "DRAINHOST_PORT", "0",
                "DRAINHOST_BIND", "127.0.0.1",
                "DRAINHOST_LOG_FORMAT", "json"))) {
      int port = host.awaitHttpPort();
      // Until it serves, the host answers 503 starting before any token check.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> given().port(port).get("/health").statusCode() == 200);
      given()
          .port(port)
          .header("Authorization", "Bearer nope")
          .contentType(ContentType.JSON)
          .body(START)
          .post("/executions")
          .then()
          .statusCode(401);
      given()
          .port(port)
          .header("Authorization", "Bearer " + token)
          .contentType(ContentType.JSON)
          .body(START)
          .post("/executions")
          .then()
          .statusCode(201);
      host.signal("TERM");
      assertEquals(0, host.awaitExit(Duration.ofSeconds(30)), host.tail());
      assertTrue(host.output().contains("apiToken=set"), host.tail());
      assertFalse(host.output().contains(token), "the token leaked into the log");
    }
  }

  /**
   * The real jar with a token and a management port, through a drain: the token guards /schedules
   * and backfill too; /metrics and /inflight answer on the management port only and keep answering
   * while the host drains; reads of the API get 503 draining then, like starts.
   */
  @Test
  void theRealJarWithATokenAndAManagementPortKeepsEachRouteWhereItBelongsThroughADrain() {
    String token = "tok-" + UUID.randomUUID();
    String bearer = "Bearer " + token;
    try (ChildProcess host =
        ChildProcess.start(
            "token-management",
            Map.of(
                "DRAINHOST_API_TOKEN", token,
                "DRAINHOST_PORT", "0",
                "DRAINHOST_MANAGEMENT_PORT", "0",
                "DRAINHOST_BIND", "127.0.0.1",
                "DRAINHOST_SHUTDOWN_TIMEOUT", "5s",
                "DRAINHOST_STOP_TIMEOUT", "10s",
                "DRAINHOST_DRAIN_POLICY", "*=finish"))) {
      int port = host.awaitHttpPort();
      int management = host.awaitManagementPort();
      host.awaitLog("workers started", Duration.ofSeconds(60));

      given().port(port).get("/schedules").then().statusCode(401);
      given()
          .port(port)
          .header("Authorization", bearer)
          .get("/schedules")
          .then()
          .statusCode(200)
          .body("schedules.size()", equalTo(0));
      String backfill = "{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-01-01T01:00:00Z\"}";
      given()
          .port(port)
          .contentType(ContentType.JSON)
          .body(backfill)
          .post("/schedules/nightly/backfill")
          .then()
          .statusCode(401);
      given()
          .port(port)
          .header("Authorization", bearer)
          .contentType(ContentType.JSON)
          .body(backfill)
          .post("/schedules/nightly/backfill")
          .then()
          .statusCode(404)
          .body("error", equalTo("not_found"));
      given().port(port).get("/metrics").then().statusCode(404);
      given().port(port).get("/inflight").then().statusCode(404);
      given().port(management).get("/metrics").then().statusCode(200);

      String id =
          given()
              .port(port)
              .header("Authorization", bearer)
              .contentType(ContentType.JSON)
              .body("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":60}}")
              .post("/executions")
              .then()
              .statusCode(201)
              .extract()
              .path("workflowId");
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> io.drainhost.support.Api.activitiesInFlight(management) == 1);

      host.signal("TERM");
      host.awaitLog("drain started", Duration.ofSeconds(5));
      given()
          .port(port)
          .header("Authorization", bearer)
          .get("/executions/" + id)
          .then()
          .statusCode(503)
          .header("Retry-After", "1")
          .header("Connection", "close")
          .body("error", equalTo("draining"));
      given().port(port).get("/health").then().statusCode(503).body("status", equalTo("draining"));
      given()
          .port(management)
          .get("/metrics")
          .then()
          .statusCode(200)
          .body(containsString("drainhost_draining 1.0"));
      // The decision comes once polling has stopped, a moment after the drain started.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(3))
          .untilAsserted(
              () ->
                  given()
                      .port(management)
                      .get("/inflight")
                      .then()
                      .statusCode(200)
                      .body("items[0].workflowId", equalTo(id))
                      .body("items[0].drain.decision", equalTo("finish")));
      assertEquals(0, host.awaitExit(Duration.ofSeconds(15)), host.tail());
      assertTrue(host.output().contains(" handedOff=1 "), host.tail());
    }
  }
}
