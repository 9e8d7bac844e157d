package io.drainhost.testing;

import java.time.Duration;

/** One container a {@link ContainerEngine} started; closing it removes it, running or not. */
public final class Container implements AutoCloseable {
  private final ContainerEngine engine;
  private final String id;

  Container(ContainerEngine engine, String id) {
    this.engine = engine;
    this.id = id;
  }

  public String id() {
    return id;
  }

  /**
   * Runs the container's health check once, as the engine's scheduler would (podman's scheduler
   * needs systemd, which a test machine may lack); true when it reports healthy. With docker, whose
   * daemon runs the checks itself, reads the last verdict instead.
   */
  public boolean healthy() {
    if (engine.podman()) {
      return engine.run(Duration.ofSeconds(30), "healthcheck", "run", id).exitCode() == 0;
    }
    return "healthy".equals(inspect("{{.State.Health.Status}}"));
  }

  /**
   * Stops the container as ECS stops a task: SIGTERM to its first process (the init, with {@code
   * --init}), SIGKILL after {@code timeout}; returns once it has exited.
   */
  public Duration stop(Duration timeout) {
    long start = System.nanoTime();
    engine
        .run(timeout.plusSeconds(30), "stop", "-t", Long.toString(timeout.toSeconds()), id)
        .requireSuccess("stop " + id);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Sends a signal to the container's first process ({@code TERM}, {@code KILL}). */
  public void signal(String signal) {
    engine.run(Duration.ofSeconds(30), "kill", "-s", signal, id).requireSuccess("kill " + id);
  }

  /** Waits for the container to exit; returns its exit code. */
  public int awaitExit(Duration timeout) {
    ContainerEngine.Result r = engine.run(timeout, "wait", id).requireSuccess("wait " + id);
    return Integer.parseInt(r.stdout().strip().lines().reduce((a, b) -> b).orElse("-1").strip());
  }

  public boolean running() {
    return "true".equals(inspect("{{.State.Running}}"));
  }

  /** The exit code of a container that has exited. */
  public int exitCode() {
    return Integer.parseInt(inspect("{{.State.ExitCode}}"));
  }

  /** What the container wrote to stdout so far (what awslogs ships, with stderr apart). */
  public String stdout() {
    return engine.run(Duration.ofSeconds(30), "logs", id).stdout();
  }

  /** What the container wrote to stderr so far. */
  public String stderr() {
    return engine.run(Duration.ofSeconds(30), "logs", id).stderr();
  }

  /** Runs a command inside the running container. */
  public ContainerEngine.Result exec(String... command) {
    String[] args = new String[command.length + 2];
    args[0] = "exec";
    args[1] = id;
    System.arraycopy(command, 0, args, 2, command.length);
    return engine.run(Duration.ofSeconds(60), args);
  }

  /** A Go template over the engine's {@code inspect} of this container. */
  public String inspect(String format) {
    return engine
        .run(Duration.ofSeconds(30), "inspect", "--format", format, id)
        .requireSuccess("inspect " + id)
        .stdout()
        .strip();
  }

  @Override
  public void close() {
    if (engine.podman()) {
      engine.run(Duration.ofSeconds(60), "rm", "-f", "-t", "0", id);
    } else {
      engine.run(Duration.ofSeconds(60), "rm", "-f", id);
    }
  }
}
