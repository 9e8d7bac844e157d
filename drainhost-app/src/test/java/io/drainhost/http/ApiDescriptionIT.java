package io.drainhost.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.DrainHost;
import io.drainhost.support.InProcessHost;
import java.net.ConnectException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /openapi.json describes exactly what the server serves; the management port moves two. */
class ApiDescriptionIT {
  @Test
  void theOpenApiDescriptionListsExactlyTheRoutesTheServerHasAndTheirMethods() throws Exception {
    DrainHost host = InProcessHost.start(Map.of());
    try {
      int port = host.port();
      JsonNode doc = description(port);
      assertTrue(doc.path("openapi").asText().startsWith("3."), doc.path("openapi").asText());
      List<String> described = described(port);
      assertEquals(host.routes(), described, "the description and the router disagree");

      // Another method on each described path: 405 naming the described one.
      for (String route : described) {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "x");
        String other = method.equals("GET") ? "DELETE" : "GET";
        given()
            .port(port)
            .request(other, path)
            .then()
            .statusCode(405)
            .header("Allow", equalTo(method))
            .body("error", equalTo("method_not_allowed"));
      }
      // Every error a route can answer is described with the error body.
      doc.path("paths")
          .forEach(
              item ->
                  item.forEach(
                      op ->
                          op.path("responses")
                              .fields()
                              .forEachRemaining(
                                  r -> {
                                    if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                                      String schema =
                                          r.getValue()
                                              .path("content")
                                              .path("application/json")
                                              .path("schema")
                                              .path("$ref")
                                              .asText();
                                      assertTrue(
                                          schema.endsWith("/Error") || schema.endsWith("/Health"),
                                          op.path("operationId").asText() + " " + r.getKey());
                                    }
                                  })));
    } finally {
      host.drain("test");
      assertEquals(0, host.awaitExit());
    }
  }

  @Test
  void withAManagementPortMetricsAndInflightAreServedThereOnlyAndBothServersStopAtTheDrain()
      throws Exception {
    DrainHost host = InProcessHost.start(Map.of("DRAINHOST_MANAGEMENT_PORT", "0"));
    int port = host.port();
    int management = host.managementPort().orElseThrow();
    try {
      assertFalse(port == management);
      given().port(port).get("/metrics").then().statusCode(404).body("error", equalTo("not_found"));
      given().port(port).get("/inflight").then().statusCode(404);
      given().port(port).get("/health").then().statusCode(200);
      given().port(port).get("/health/live").then().statusCode(200);
      given()
          .port(management)
          .get("/metrics")
          .then()
          .statusCode(200)
          .body(org.hamcrest.Matchers.containsString("drainhost_inflight"));
      given().port(management).get("/inflight").then().statusCode(200).body("count", equalTo(0));
      given().port(management).get("/health").then().statusCode(404);
      given().port(management).post("/metrics").then().statusCode(405).header("Allow", "GET");
      assertFalse(host.routes().contains("GET /metrics"), host.routes().toString());
      // Each port describes what it serves, and only that.
      assertEquals(host.routes(), described(port), "the main port's description");
      assertEquals(
          List.of("GET /inflight", "GET /metrics", "GET /openapi.json", "GET /replay"),
          described(management),
          "the management port's description");
    } finally {
      host.drain("test");
      assertEquals(0, host.awaitExit());
    }
    for (int p : new int[] {port, management}) {
      try (Socket s = new Socket("127.0.0.1", p)) {
        throw new AssertionError("port " + p + " still accepts connections after the drain");
      } catch (ConnectException expected) {
        // closed
      }
    }
  }

  @Test
  void eachWorkflowTypeIsABranchOfTheStartRequestWithTheSchemaItsInputIsCheckedAgainst()
      throws Exception {
    DrainHost host = InProcessHost.start(Map.of());
    try {
      JsonNode doc = description(host.port());
      JsonNode start = doc.at("/components/schemas/StartRequest");
      assertEquals("workflowType", start.at("/discriminator/propertyName").asText());
      List<String> branches = new ArrayList<>();
      start.at("/discriminator/mapping").fieldNames().forEachRemaining(branches::add);
      assertEquals(
          List.of("BenchmarkWorkflow", "GreetingWorkflow", "ReportWorkflow", "SleepWorkflow"),
          branches.stream().sorted().toList());
      assertEquals(branches.size(), start.path("oneOf").size());
      JsonNode sleep = doc.at("/components/schemas/Start.SleepWorkflow");
      assertEquals(
          new ObjectMapper()
              .readTree(
                  "{\"type\":\"object\",\"additionalProperties\":false,"
                      + "\"properties\":{\"seconds\":{\"type\":\"integer\",\"minimum\":0,"
                      + "\"maximum\":3600}},\"required\":[\"seconds\"]}"),
          new ObjectMapper().readTree(sleep.at("/properties/input").toString()));
      assertEquals(List.of("workflowType", "input"), texts(sleep.path("required")));
      assertEquals("SleepWorkflow", sleep.at("/properties/workflowType/enum/0").asText());
      // The same schema decides a start: in range is accepted, one past it is not.
      given()
          .port(host.port())
          .contentType("application/json")
          .body("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":3600}}")
          .post("/executions")
          .then()
          .statusCode(201);
      given()
          .port(host.port())
          .contentType("application/json")
          .body("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":3601}}")
          .post("/executions")
          .then()
          .statusCode(400)
          .body("message", equalTo("input.seconds must be a whole number from 0 to 3600"));
      assertEquals(
          ExecutionRoutes.WAIT.get("pattern").asText(),
          doc.at("/paths/~1executions~1{workflowId}/get/parameters/1/schema/pattern").asText());
    } finally {
      host.drain("test");
      host.awaitExit();
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static JsonNode description(int port) throws Exception {
    return new ObjectMapper()
        .readTree(
            given().port(port).get("/openapi.json").then().statusCode(200).extract().asString());
  }

  /** "METHOD /path" for every operation GET /openapi.json on that port describes, sorted. */
  private static List<String> described(int port) throws Exception {
    List<String> described = new ArrayList<>();
    description(port)
        .path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(m -> described.add(m.toUpperCase() + " " + path.getKey())));
    described.sort(null);
    return described;
  }
}
