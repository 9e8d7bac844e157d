package io.drainhost.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for the ECS agent's task metadata endpoint (v4) on loopback, serving AWS's documented
 * JSON: {@code $ECS_CONTAINER_METADATA_URI_V4} answers with the container's metadata (its image),
 * {@code …/task} with the task's ({@code DesiredStatus}). A test turns the task's desired status to
 * {@code STOPPED}, as ECS does when it stops a task, or makes the agent answer with an error.
 */
public final class TaskMetadataStandIn implements AutoCloseable {
  private static final String PATH = "/v4/0206b271";
  private static final String TASK = readResource("task-metadata-running.json");

  private final HttpServer server;
  private final AtomicReference<String> desiredStatus = new AtomicReference<>("RUNNING");
  private final AtomicReference<String> imageId =
      new AtomicReference<>(
          "sha256:2ae34abc2ed0a22e280d17e13f9c01aaf725688b09b7a1525d1a2750e2c0d1de");
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicInteger taskReads = new AtomicInteger();

  /** Listens on 127.0.0.1 (a container on the host's network reaches it there too). */
  public TaskMetadataStandIn() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        PATH,
        exchange -> {
          boolean task = exchange.getRequestURI().getPath().equals(PATH + "/task");
          if (task) {
            taskReads.incrementAndGet();
          }
          byte[] bytes =
              (task ? taskMetadata() : containerMetadata()).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status.get(), bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  /** The value of {@code ECS_CONTAINER_METADATA_URI_V4} for a host talking to this stand-in. */
  public String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  /** The task's {@code DesiredStatus} from now on ({@code STOPPED}: ECS is stopping the task). */
  public void desiredStatus(String value) {
    desiredStatus.set(value);
  }

  /** The container's {@code ImageID} from now on ({@code sha256:…}, the image digest). */
  public void imageId(String value) {
    imageId.set(value);
  }

  /** Answers every further request with this HTTP status (200 is the agent's success). */
  public void answerWith(int httpStatus) {
    status.set(httpStatus);
  }

  /** How many times the task's metadata was read. */
  public int taskReads() {
    return taskReads.get();
  }

  /** The task document; only the task-level status changes first, as on ECS. */
  private String taskMetadata() {
    return TASK.replaceFirst(
            "\"DesiredStatus\": \"RUNNING\"", "\"DesiredStatus\": \"" + desiredStatus.get() + "\"")
        .replace(
            "sha256:2ae34abc2ed0a22e280d17e13f9c01aaf725688b09b7a1525d1a2750e2c0d1de",
            imageId.get());
  }

  /** The container's own document: the one entry of the task's {@code Containers}. */
  private String containerMetadata() {
    String task = taskMetadata();
    int start = task.indexOf('{', task.indexOf("\"Containers\""));
    int depth = 0;
    for (int i = start; i < task.length(); i++) {
      char c = task.charAt(i);
      depth += c == '{' ? 1 : c == '}' ? -1 : 0;
      if (depth == 0) {
        return task.substring(start, i + 1);
      }
    }
    throw new IllegalStateException("task metadata without a container");
  }

  private static String readResource(String name) {
    try (InputStream in = TaskMetadataStandIn.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
