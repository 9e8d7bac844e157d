package io.drainhost.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.threads.DaemonThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts workflows with {@code POST /executions} and waits for them with {@code GET
 * /executions/{id}?wait=20s}: what an HTTP client of drainhost sees. After an error it retries the
 * GET every {@link #POLL}.
 */
final class HttpBenchDriver implements BenchDriver {
  static final Duration POLL = Duration.ofMillis(50);
  static final Duration WAIT = Duration.ofSeconds(20);

  private final URI base;
  private final HttpClient http = BenchSupport.HTTP;
  private final ObjectMapper json = new ObjectMapper();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("bench-poll"));

  HttpBenchDriver(URI base) {
    this.base = base;
  }

  @Override
  public CompletableFuture<Void> start(
      String workflowId, String workflowType, Map<String, Object> input) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workflowType", workflowType);
    body.put("workflowId", workflowId);
    body.put("input", input);
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(base.resolve("/executions"))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, error) -> {
              if (error != null) {
                throw new BenchError("io_" + rootCause(error).getClass().getSimpleName());
              }
              if (response.statusCode() != 201) {
                throw new BenchError(
                    "http_" + response.statusCode() + "_" + errorCode(response.body()));
              }
              return null;
            });
  }

  @Override
  public CompletableFuture<Boolean> completion(String workflowId) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    poll(workflowId, done, 0);
    return done;
  }

  private void poll(String workflowId, CompletableFuture<Boolean> done, int failures) {
    // The host holds the request until the workflow closes (or the wait ends): one request per
    // workflow instead of a poll every few milliseconds.
    HttpRequest request =
        HttpRequest.newBuilder(
                base.resolve("/executions/" + workflowId + "?wait=" + WAIT.toSeconds() + "s"))
            .timeout(WAIT.plusSeconds(30))
            .GET()
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              String status = null;
              if (error == null && response.statusCode() == 200) {
                status = statusOf(response.body());
              }
              if (status != null && !"RUNNING".equals(status)) {
                done.complete("COMPLETED".equals(status));
              } else if (status == null && failures >= 600) {
                done.completeExceptionally(new BenchError("status_unavailable"));
              } else {
                int next = status == null ? failures + 1 : 0;
                timer.schedule(
                    () -> poll(workflowId, done, next), POLL.toMillis(), TimeUnit.MILLISECONDS);
              }
            });
  }

  private String statusOf(String body) {
    try {
      return json.readTree(body).path("status").asText(null);
    } catch (IOException e) {
      return null;
    }
  }

  private String errorCode(String body) {
    try {
      JsonNode node = json.readTree(body);
      return node.path("error").asText("unknown");
    } catch (IOException e) {
      return "unparsable";
    }
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  @Override
  public String describe() {
    return "HTTP " + base;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
