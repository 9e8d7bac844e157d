package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import io.drainhost.testing.TemporalServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service as its team ships it: the shaded jar, against a real Temporal server (the Temporal
 * CLI's dev server). It reaches Temporal and runs orders, its replay check passes with orders
 * open, and it drains on SIGTERM.
 */
class OrdersServiceIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path JAR = Path.of(System.getProperty("orders.jar", "target/orders.jar"));

  @Test
  void theShadedJarReachesTemporalRunsOrdersPassesItsReplayCheckAndDrains() throws Exception {
    try (TemporalServer temporal =
        TemporalServers.start(TemporalServer.Kind.TEMPORAL_CLI, OrdersServiceIT.class)) {
      Map<String, String> env = LocalHosts.hostEnv(temporal.port(), "orders", Map.of());
      try (ChildProcess host = ChildProcess.startJar(JAR, "orders", env)) {
        int port = host.awaitHttpPort();
        host.awaitLog("workers started", Duration.ofSeconds(90));
        assertEquals(201, start(port, "quick", 2).statusCode());
        assertEquals(201, start(port, "open", 60).statusCode()); // waits an hour: stays open
        HttpResponse<String> quick =
            HTTP.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/executions/quick?wait=30s"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(quick.body().contains("\"status\":\"COMPLETED\""), quick.body());
        assertTrue(quick.body().contains("charge-ada-10"), quick.body());

        try (ChildProcess check =
            ChildProcess.startJar(JAR, "orders-replay-check", env, "replay-check")) {
          assertEquals(0, check.awaitExit(Duration.ofSeconds(90)), check.output());
          assertTrue(check.output().contains("replay check: passed"), check.output());
        }

        host.signal("TERM");
        assertEquals(0, host.awaitExit(Duration.ofSeconds(40)), host.tail());
      }
      temporal.stop();
    }
  }

  private static HttpResponse<String> start(int port, String id, int quantity) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/executions"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"workflowType\":\"OrderWorkflow\",\"workflowId\":\""
                        + id
                        + "\",\"input\":{\"customer\":\"ada\",\"quantity\":"
                        + quantity
                        + "}}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
