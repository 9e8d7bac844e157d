package io.drainhost.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP sink for the report sample, on a fixed loopback port that can go down and come back:
 * it records each report it accepts (by the {@code Idempotency-Key} the sample sends) and answers
 * the status it is told to.
 */
public final class ReportSink implements AutoCloseable {
  /** One report the sink accepted. */
  public record Delivery(String reportId, Instant at) {}

  private final int port;
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile int status = 201;
  private HttpServer server;

  public ReportSink(int port) {
    this.port = port;
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/reports";
  }

  public synchronized ReportSink start() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/reports",
        exchange -> {
          String id = exchange.getRequestHeaders().getFirst("Idempotency-Key");
          exchange.getRequestBody().readAllBytes();
          requests.add(id);
          int answer = status;
          if (answer < 300) {
            deliveries.add(new Delivery(id, Instant.now()));
          }
          exchange.sendResponseHeaders(answer, -1);
          exchange.close();
        });
    server.start();
    return this;
  }

  /** Answers every later request with this status (a 4xx or 5xx refuses the report). */
  public void answer(int newStatus) {
    this.status = newStatus;
  }

  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  public List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** Every request's report id, accepted or not. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  public long deliveriesOf(String reportId) {
    return deliveries.stream().filter(d -> d.reportId().equals(reportId)).count();
  }

  @Override
  public void close() {
    stop();
  }
}
