package io.drainhost.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.threads.DaemonThreads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the ECS task metadata endpoint ({@code $ECS_CONTAINER_METADATA_URI_V4/task}) on a schedule
 * and starts the drain when the task's {@code DesiredStatus} turns {@code STOPPED}, which can come
 * before the SIGTERM. Failures to read are logged (once per streak) and never stop the watcher.
 */
public final class TaskMetadataWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskMetadataWatcher.class);
  public static final String TRIGGER = "ecs-task-stopping";

  private final URI taskUri;
  private final Duration interval;
  private final Consumer<String> drain;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("drainhost-ecs-metadata"));
  private boolean failing;
  private volatile boolean triggered;

  public TaskMetadataWatcher(URI metadataUri, Duration interval, Consumer<String> drain) {
    String base = metadataUri.toString();
    this.taskUri = URI.create(base.endsWith("/") ? base + "task" : base + "/task");
    this.interval = interval;
    this.drain = drain;
  }

  public void start() {
    log.info("watching ECS task metadata: uri={} interval={}ms", taskUri, interval.toMillis());
    scheduler.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void poll() {
    if (triggered) {
      return;
    }
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(taskUri).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + response.statusCode());
      }
      JsonNode task = json.readTree(response.body());
      if (failing) {
        failing = false;
        log.info("ECS task metadata readable again");
      }
      String desired = task.path("DesiredStatus").asText("");
      if ("STOPPED".equals(desired)) {
        triggered = true;
        log.info(
            "ECS task is stopping: desiredStatus={} knownStatus={}; starting the drain before SIGTERM",
            desired,
            task.path("KnownStatus").asText(""));
        drain.accept(TRIGGER);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!failing) {
        failing = true;
        log.warn(
            "cannot read ECS task metadata (will keep trying): uri={} error={}",
            taskUri,
            e.toString());
      }
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
