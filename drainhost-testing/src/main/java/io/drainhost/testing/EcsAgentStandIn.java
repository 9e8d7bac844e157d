package io.drainhost.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for the ECS agent's task scale-in protection endpoint ({@code
 * $ECS_AGENT_URI/task-protection/v1/state}) on loopback: it records every {@code PUT} and answers
 * as the agent does, or with an error status, or not at all for a while (a hanging agent).
 */
public final class EcsAgentStandIn implements AutoCloseable {
  /** One {@code PUT} the stand-in received: when, and its body. */
  public record Put(Instant at, String body) {
    public boolean enabled() {
      return body.replace(" ", "").contains("\"ProtectionEnabled\":true");
    }
  }

  private final HttpServer server;
  private final List<Put> puts = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);

  public EcsAgentStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    // Daemon threads: a hanging answer must not keep the test's JVM alive.
    server.setExecutor(
        java.util.concurrent.Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "ecs-agent-stand-in");
              t.setDaemon(true);
              return t;
            }));
    server.createContext(
        "/api/task-protection/v1/state",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          if ("PUT".equals(exchange.getRequestMethod())) {
            puts.add(new Put(Instant.now(), body));
          }
          ChildProcess.sleep(delay.get());
          int code = status.get();
          byte[] answer =
              (code == 200
                      ? "{\"protection\":{\"ExpirationDate\":null,\"ProtectionEnabled\":"
                          + (!puts.isEmpty() && puts.get(puts.size() - 1).enabled())
                          + ",\"TaskArn\":\"arn:aws:ecs:us-east-1:123456789012:task/c/0206b271\"}}"
                      : "{\"error\":{\"Code\":\"ServerException\",\"Message\":\"stand-in error\"}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          try {
            exchange.sendResponseHeaders(code, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(answer);
            }
          } catch (IOException clientGone) {
            // The host gave up waiting (a hanging agent): nothing to answer.
          }
        });
    server.start();
  }

  /** The value of {@code ECS_AGENT_URI} for a host talking to this stand-in. */
  public String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
  }

  /** Every {@code PUT} so far, oldest first. */
  public List<Put> puts() {
    return List.copyOf(puts);
  }

  /** Whether the last {@code PUT} enabled protection (false when none came). */
  public boolean protectedNow() {
    List<Put> all = puts();
    return !all.isEmpty() && all.get(all.size() - 1).enabled();
  }

  /** Answers every further request with this HTTP status (200 is the agent's success). */
  public void answerWith(int httpStatus) {
    status.set(httpStatus);
  }

  /** Holds every further answer this long before giving it (a hanging agent). */
  public void hangFor(Duration d) {
    delay.set(d);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
