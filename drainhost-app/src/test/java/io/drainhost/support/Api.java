package io.drainhost.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** The host's HTTP API as the process-level tests use it. */
public final class Api {
  public static final String GREET_ADA =
      "{\"workflowType\":\"GreetingWorkflow\",\"input\":{\"name\":\"Ada\"}}";

  private Api() {}

  /** {@code POST /executions} with this body. */
  public static Response start(int port, String body) {
    return given().port(port).contentType(ContentType.JSON).body(body).post("/executions");
  }

  /** The outcome of a run, waiting up to 30 s for it to close. */
  public static JsonPath awaitRun(int port, String workflowId) {
    return given()
        .port(port)
        .get("/executions/" + workflowId + "?wait=30s")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** A readiness check as the ALB sends it (its User-Agent), answered 200. */
  public static void elbCheck(int port) {
    given()
        .port(port)
        .header("User-Agent", "ELB-HealthChecker/2.0")
        .get("/health")
        .then()
        .statusCode(200);
  }

  /** How many activity attempts that host runs now, by its /inflight. */
  public static int activitiesInFlight(int port) {
    return given()
        .port(port)
        .get("/inflight")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items.findAll { it.kind == 'activity' }")
        .size();
  }

  /** The value of one series in a Prometheus scrape; -1 when absent. */
  public static double metric(String scrape, String series) {
    return scrape
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
        .findFirst()
        .orElse(-1);
  }
}
