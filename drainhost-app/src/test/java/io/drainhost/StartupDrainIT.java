package io.drainhost;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.support.Api;
import io.drainhost.testing.ChildProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A SIGTERM while the host is still starting. Startup is held open on purpose: the host's first
 * Temporal check runs during startup, and this Temporal accepts connections but never answers, so
 * the check waits for its deadline while the host serves 503 {@code starting}.
 */
@org.junit.jupiter.api.Tag(io.drainhost.support.Timing.TAG)
class StartupDrainIT {
  @Test
  void whileStartingTheHostAnswers503StartingAndASigtermThenDrainsAndExitsCleanly()
      throws Exception {
    try (BlackHole temporal = new BlackHole();
        ChildProcess host =
            ChildProcess.start(
                "early-sigterm",
                Map.of(
                    "DRAINHOST_PORT", "0",
                    "DRAINHOST_BIND", "127.0.0.1",
                    "TEMPORAL_ADDRESS", "127.0.0.1:" + temporal.port(),
                    "DRAINHOST_REQUEST_TIMEOUT", "20s"))) {
      int port = host.awaitHttpPort(); // listening, still in its first Temporal check
      given()
          .port(port)
          .get("/health")
          .then()
          .statusCode(503)
          .body("status", equalTo("starting"))
          .body("readyForTermination", equalTo(false));
      given().port(port).get("/health/live").then().statusCode(200);
      Api.start(port, Api.GREET_ADA)
          .then()
          .statusCode(503)
          .header("Retry-After", "1")
          .body("error", equalTo("starting"));
      assertFalse(host.output().contains("a drain was requested during startup"));
      host.signal("TERM");
      assertEquals(0, host.awaitExit(Duration.ofSeconds(60)), host.tail());
      String out = host.output();
      assertTrue(out.contains("a drain was requested during startup"), out);
      assertTrue(out.contains("drain report: trigger=SIGTERM"), out);
      assertFalse(out.contains("workers started"), "no worker ever polled: " + out);
    }
  }

  /** A TCP server that accepts connections and never says a word. */
  static final class BlackHole implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    BlackHole() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread t =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    held.add(server.accept());
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "black-hole");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
