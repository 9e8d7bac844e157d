package io.drainhost.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Samples a host's readiness and liveness every 100 ms from before it listens until it is closed,
 * as a load balancer and a container health check would see them.
 */
public final class HealthSampler implements AutoCloseable {
  private static final Duration EVERY = Duration.ofMillis(100);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One probe of both endpoints; {@code readiness} and {@code liveness} are HTTP statuses, -1 when
   * nothing answered (not listening yet, or gone).
   */
  public record Sample(long atMs, int readiness, String status, String replay, int liveness) {
    /** Both endpoints answered (the one probe may begin before the listener, or end after it). */
    public boolean answered() {
      return readiness > 0 && liveness > 0;
    }

    @Override
    public String toString() {
      return atMs + "ms:" + readiness + "/" + status + "/replay=" + replay + "/live=" + liveness;
    }
  }

  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private final long start = System.nanoTime();
  private volatile boolean closed;

  private HealthSampler(int port) {
    this.port = port;
    this.thread = new Thread(this::loop, "health-sampler-" + port);
    thread.setDaemon(true);
  }

  /** Starts sampling {@code 127.0.0.1:port} now; start it before the host's process. */
  public static HealthSampler start(int port) {
    HealthSampler s = new HealthSampler(port);
    s.thread.start();
    return s;
  }

  private void loop() {
    while (!closed) {
      long next = System.nanoTime() + EVERY.toNanos();
      long at = (System.nanoTime() - start) / 1_000_000;
      int live = status("/health/live");
      int ready = -1;
      String status = null;
      String replay = null;
      try {
        HttpResponse<String> r = get("/health");
        ready = r.statusCode();
        JsonNode body = JSON.readTree(r.body());
        status = body.path("status").asText(null);
        replay = body.path("replay").asText(null);
      } catch (IOException e) {
        // not listening (yet, or any more)
      } catch (InterruptedException e) {
        return;
      }
      samples.add(new Sample(at, ready, status, replay, live));
      long wait = (next - System.nanoTime()) / 1_000_000;
      if (wait > 0) {
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private int status(String path) {
    try {
      return get(path).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(2))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The samples so far, oldest first. */
  public List<Sample> samples() {
    return new ArrayList<>(samples);
  }

  /** The samples in which the host answered, oldest first. */
  public List<Sample> answered() {
    return samples().stream().filter(Sample::answered).toList();
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
