package io.drainhost;

import io.drainhost.config.ConfigException;
import io.drainhost.config.HostConfig;
import io.drainhost.ecs.ContainerImage;
import io.drainhost.http.StrictJson;
import io.drainhost.lifecycle.ExitCode;
import io.drainhost.lifecycle.HostState;
import io.drainhost.lifecycle.Lifecycle;
import io.drainhost.metrics.Metrics;
import io.drainhost.schedules.InvalidSchedulesException;
import io.drainhost.schedules.ScheduleDeclaration;
import io.drainhost.schedules.Schedules;
import io.drainhost.temporal.TemporalConnection;
import io.drainhost.temporal.WorkerSpec;
import io.drainhost.workflows.WorkflowTypes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A drainhost: Javalin and the user's Temporal workers in one JVM, drained gracefully on SIGTERM.
 *
 * <pre>{@code
 * System.exit(DrainHost.builder()
 *     .registerWorkflowImplementationTypes(OrderWorkflowImpl.class)
 *     .registerActivitiesImplementations(new OrderActivitiesImpl())
 *     .run()); // serves until SIGTERM, drains, returns the exit code
 * }</pre>
 *
 * <p>The parts and the order they start in are in {@link HostParts}; the drain reads top to bottom
 * in {@link io.drainhost.lifecycle.DrainSequence}; this class only starts, drains and reports.
 */
public final class DrainHost {
  private static final Logger log = LoggerFactory.getLogger(DrainHost.class);

  private final HostConfig config;
  private final List<WorkerSpec> workerSpecs;
  private final WorkflowTypes workflowTypes;
  private final Schedules schedules;
  private final Lifecycle lifecycle = new Lifecycle();
  private final PrometheusMeterRegistry metrics = Metrics.newRegistry();
  private final CompletableFuture<ExitCode> exitCode = new CompletableFuture<>();
  private final CompletableFuture<Void> drainStarted = new CompletableFuture<>();
  private HostParts parts;
  private String pendingDrain;

  /** Throws {@link ConfigException} when a declared schedule does not fit the registered types. */
  DrainHost(HostConfig config, List<WorkerSpec> workerSpecs, List<ScheduleDeclaration> declared) {
    this.config = config;
    this.workerSpecs = workerSpecs;
    this.workflowTypes = new WorkflowTypes(WorkerSpec.workflowImplementations(workerSpecs));
    try {
      this.schedules = Schedules.of(declared, workflowTypes, StrictJson.mapper());
    } catch (InvalidSchedulesException e) {
      throw new ConfigException(e.problems());
    }
    requireVersioningForAnnotatedTypes(config, workflowTypes);
    lifecycle.onTransition(
        (from, to) -> {
          if (to == HostState.DRAINING) {
            drainStarted.complete(null);
          }
        });
  }

  /**
   * A type whose implementation carries {@code @WorkflowVersioningBehavior} runs only on versioned
   * workers: a real server rejects every workflow task of it from an unversioned one
   * (INVALID_ARGUMENT), so its runs would hang. Said at startup instead.
   */
  private static void requireVersioningForAnnotatedTypes(HostConfig config, WorkflowTypes types) {
    if (config.versioning().enabled()) {
      return;
    }
    List<String> problems =
        types.names().stream()
            .map(n -> types.find(n).orElseThrow())
            .filter(t -> t.versioningBehavior().isPresent())
            .map(
                t ->
                    "DRAINHOST_DEPLOYMENT_NAME is unset, but workflow type "
                        + t.name()
                        + " carries @WorkflowVersioningBehavior("
                        + t.versioningBehavior().get()
                        + "): Temporal rejects every workflow task of it from an unversioned"
                        + " worker; set DRAINHOST_DEPLOYMENT_NAME or remove the annotation")
            .toList();
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  public static DrainHostBuilder builder() {
    return new DrainHostBuilder();
  }

  /**
   * Starts the parts in the order of {@link HostParts} (HTTP first, so liveness answers during the
   * start), then moves to SERVING. Returns without waiting for Temporal: the workers start when it
   * answers and the replay gate lets them. Throws {@link ConfigException} when there is no Temporal
   * to run against (no address, no embedded server), or when the build id the task metadata should
   * give is missing.
   */
  public synchronized DrainHost start() {
    if (parts != null) {
      throw new IllegalStateException("a DrainHost starts once");
    }
    if (config.temporal().embedded() && !TemporalConnection.embeddedServerAvailable()) {
      throw new ConfigException(
          List.of(
              "TEMPORAL_ADDRESS is not set and the embedded Temporal server is not on the"
                  + " classpath: set TEMPORAL_ADDRESS to your Temporal cluster (host:port), or add"
                  + " io.temporal:temporal-test-server for an in-memory development server"));
    }
    HostConfig resolved = ContainerImage.withBuildId(config);
    String identity = ManagementFactory.getRuntimeMXBean().getName();
    log.info(
        "drainhost starting: identity={} taskQueues={} temporal={} apiToken={}",
        identity,
        workerSpecs.stream().map(WorkerSpec::taskQueue).toList(),
        resolved.temporal(),
        resolved.apiToken().map(Object::toString).orElse("unset"));
    parts =
        HostParts.wire(
            resolved,
            identity,
            workerSpecs,
            workflowTypes,
            schedules,
            lifecycle,
            metrics,
            drainStarted,
            this::drain);
    parts.start.run();
    if (!lifecycle.transition(HostState.STARTING, HostState.SERVING)) {
      log.info("a drain was requested during startup");
    } else if (!parts.monitor.connected()) {
      log.warn("serving without workers: Temporal is not reachable yet; workers start when it is");
    }
    if (pendingDrain != null) {
      launchDrain(pendingDrain);
    }
    return this;
  }

  /**
   * Begins a drain on its own thread; the same path serves signals, ECS task metadata and code.
   * Returns false when a drain already began (a second SIGTERM changes nothing).
   */
  public boolean drain(String trigger) {
    if (!lifecycle.beginDrain()) {
      log.info("drain already in progress or done; ignoring trigger={}", trigger);
      return false;
    }
    // start() holds this lock while it builds the host: a drain requested meanwhile (a SIGTERM
    // during startup) waits for it, then stops whatever was started.
    synchronized (this) {
      if (parts == null) {
        pendingDrain = trigger;
        return true;
      }
    }
    launchDrain(trigger);
    return true;
  }

  private void launchDrain(String trigger) {
    Thread t =
        new Thread(
            () -> {
              try {
                exitCode.complete(parts.drain.run(trigger));
              } catch (Throwable e) {
                log.error("drain failed", e);
                exitCode.complete(ExitCode.FAILED);
              }
            },
            "drainhost-drain");
    t.start();
  }

  /** Blocks until a drain has finished; returns the process exit code it decided. */
  public int awaitExit() {
    return exitCode.join().code();
  }

  /**
   * Starts, drains on SIGTERM or SIGINT (also during startup), returns the exit code once drained.
   */
  public int run() {
    Signals.onTermination(this::drain);
    start();
    return awaitExit();
  }

  /**
   * Runs the replay gate's check without starting the host: against {@code TEMPORAL_ADDRESS}, for a
   * pipeline before an image ships. Prints a table to {@code out}; returns the exit code: {@link
   * ExitCode#CLEAN} (every sampled run replayed), {@link ExitCode#REPLAY_REFUSED} (runs this build
   * cannot take over) or {@link ExitCode#FAILED} (could not check).
   */
  public int replayCheck(java.io.PrintStream out) {
    return StandaloneReplayCheck.run(
            ContainerImage.withBuildId(config),
            workerSpecs,
            workflowTypes,
            schedules.isEmpty() ? List.of() : List.of(schedules.guard()),
            out)
        .code();
  }

  public int port() {
    return parts.http.port();
  }

  /** The management port ({@code DRAINHOST_MANAGEMENT_PORT}), when there is one. */
  public Optional<Integer> managementPort() {
    return parts.http.managementPort();
  }

  /** The HTTP routes of the main port, as {@code "GET /health"}, for tests and diagnostics. */
  public List<String> routes() {
    return parts.http.routes();
  }

  public PrometheusMeterRegistry meterRegistry() {
    return metrics;
  }

  public HostState state() {
    return lifecycle.state();
  }
}
