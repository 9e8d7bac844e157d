package io.drainhost.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.threads.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
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
      JsonNode task = readTask();
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

  /**
   * One GET of the task metadata. Through {@link HttpURLConnection}, not {@code
   * java.net.http.HttpClient}: that client keeps a selector thread in {@code epoll_wait} for as
   * long as it lives, and HotSpot's exit waits up to 300 ms for every thread in native code, which
   * would add 300 ms to every ECS task's stop.
   */
  private JsonNode readTask() throws IOException {
    HttpURLConnection c = (HttpURLConnection) taskUri.toURL().openConnection();
    c.setConnectTimeout(1000);
    c.setReadTimeout(2000);
    try {
      int status = c.getResponseCode();
      if (status != 200) {
        throw new IllegalStateException("HTTP " + status);
      }
      try (InputStream in = c.getInputStream()) {
        return json.readTree(in);
      }
    } finally {
      c.disconnect();
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
