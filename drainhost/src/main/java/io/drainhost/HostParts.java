package io.drainhost;

import io.drainhost.backlog.BacklogWatcher;
import io.drainhost.config.FleetSettings;
import io.drainhost.config.HostConfig;
import io.drainhost.ecs.LoadBalancerSilenceWatcher;
import io.drainhost.ecs.ScaleInProtection;
import io.drainhost.ecs.TaskMetadataWatcher;
import io.drainhost.ecs.TaskProtectionAgent;
import io.drainhost.http.HttpServer;
import io.drainhost.http.StrictJson;
import io.drainhost.lifecycle.DepartureCheck;
import io.drainhost.lifecycle.DrainDecider;
import io.drainhost.lifecycle.DrainSequence;
import io.drainhost.lifecycle.HostState;
import io.drainhost.lifecycle.Lifecycle;
import io.drainhost.metrics.MeterNames;
import io.drainhost.replay.ReplayGate;
import io.drainhost.schedules.Schedules;
import io.drainhost.temporal.ActivityHandoff;
import io.drainhost.temporal.ConnectionMonitor;
import io.drainhost.temporal.TemporalConnection;
import io.drainhost.temporal.WorkerHost;
import io.drainhost.temporal.WorkerSpec;
import io.drainhost.threads.DaemonThreads;
import io.drainhost.tracking.ActivityAttempts;
import io.drainhost.tracking.ActivityDurations;
import io.drainhost.tracking.InflightRegistry;
import io.drainhost.tracking.WorkKind;
import io.drainhost.versioning.LastPollerCheck;
import io.drainhost.versioning.VersionWatcher;
import io.drainhost.workflows.WorkflowTypes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of one host and how they are wired, in the order they start: the Temporal connection
 * and its monitor, the workers, the HTTP servers, the ECS watchers, the schedules, and the drain
 * that stops them all again. Built by {@link DrainHost#start()}; nothing runs until {@link #start}.
 */
final class HostParts {
  private static final Logger log = LoggerFactory.getLogger(HostParts.class);

  final TemporalConnection connection;
  final ConnectionMonitor monitor;
  final WorkerHost workers;
  final HttpServer http;
  private final Optional<LoadBalancerSilenceWatcher> lbSilence;
  private final Optional<TaskMetadataWatcher> ecsWatcher;
  private Optional<VersionWatcher> versionWatcher = Optional.empty();
  private final Optional<ScaleInProtection> protection;
  private final Optional<BacklogWatcher> backlog;
  private final Schedules schedules;
  private final HostConfig config;
  private final PrometheusMeterRegistry metrics;
  private final WorkflowTypes workflowTypes;
  final ReplayGate replayGate;
  private final AtomicBoolean replayGateStarted = new AtomicBoolean();
  private volatile long gateDeadline;
  private final Runnable onReplayRefused;
  final DrainSequence drain;

  HostParts(
      HostConfig config,
      String identity,
      List<WorkerSpec> workerSpecs,
      WorkflowTypes workflowTypes,
      Schedules schedules,
      Lifecycle lifecycle,
      PrometheusMeterRegistry metrics,
      CompletableFuture<Void> drainStarted,
      Consumer<String> drainTrigger,
      Runnable onReplayRefused) {
    this.config = config;
    this.schedules = schedules;
    this.metrics = metrics;
    this.workflowTypes = workflowTypes;
    this.onReplayRefused = onReplayRefused;
    InflightRegistry registry = new InflightRegistry();
    ActivityAttempts attempts = new ActivityAttempts();
    ActivityDurations durations = new ActivityDurations();

    connection =
        TemporalConnection.open(config.temporal(), metrics, identity, config.requestTimeout());
    monitor =
        new ConnectionMonitor(
            connection, config.temporalCheckInterval(), config.temporalBackoffMax(), metrics);
    workers =
        new WorkerHost(
            config,
            connection,
            workerSpecs,
            registry,
            attempts,
            durations,
            schedules.isEmpty() ? List.of() : List.of(schedules.guard()));
    replayGate = new ReplayGate(config.replay(), metrics);
    if (replayGate.enabled() && connection.embedded()) {
      // Nothing to replay: the workers start with the first connection, as without a gate.
      replayGate.skip("the embedded Temporal starts empty: no running history to replay");
    } else if (replayGate.enabled()) {
      workers.hold();
    }
    lbSilence =
        config
            .lbSilenceAfter()
            .map(
                after ->
                    new LoadBalancerSilenceWatcher(
                        after,
                        new LoadBalancerSilenceWatcher.Polling() {
                          @Override
                          public void suspend() {
                            workers.suspendPolling();
                          }

                          @Override
                          public void resume() {
                            workers.resumePolling();
                          }
                        }));
    backlog =
        config
            .fleet()
            .backlogInterval()
            .filter(i -> !connection.embedded())
            .map(
                interval ->
                    new BacklogWatcher(
                        workerSpecs.stream().map(WorkerSpec::taskQueue).distinct().toList(),
                        interval,
                        config.fleet().emf() ? Optional.of(System.out) : Optional.empty(),
                        metrics));
    DrainDecider decider = new DrainDecider(config.drainPolicies(), durations);
    protection = scaleInProtection(config, registry, decider, metrics);
    http =
        new HttpServer(
            config,
            new HostStatusView(
                config,
                lifecycle,
                registry,
                monitor,
                workers,
                lbSilence,
                replayGate,
                () -> versionWatcher.map(VersionWatcher::status),
                protection,
                drainStarted),
            registry,
            identity,
            connection.client(),
            workflowTypes,
            monitor,
            metrics,
            StrictJson.mapper(),
            schedules);
    ecsWatcher =
        config
            .ecsMetadataUri()
            .map(uri -> new TaskMetadataWatcher(uri, config.ecsMetadataPoll(), drainTrigger));
    versionWatcher =
        config
            .versioning()
            .deployment()
            .map(v -> new VersionWatcher(v, config.temporalCheckInterval(), metrics));
    DepartureCheck departure =
        config
            .versioning()
            .deployment()
            .<DepartureCheck>map(
                v ->
                    new LastPollerCheck(
                        connection.stubs(),
                        connection.namespace(),
                        identity,
                        v,
                        workflowTypes.namesByTaskQueue().keySet()))
            .orElse(DepartureCheck.NONE);
    drain =
        new DrainSequence(
            config,
            lifecycle,
            workers,
            registry,
            new ActivityHandoff(connection, attempts, registry),
            decider,
            http,
            this::closeBackground,
            departure,
            metrics);
    bindMeters(registry, lifecycle);
  }

  /**
   * Starts HTTP first (liveness answers during startup), then the connection monitor, which starts
   * the workers and declares the schedules once Temporal answers, then the ECS watchers.
   */
  void start(Lifecycle lifecycle) {
    // The whole gate, its wait for Temporal included, is bounded from the start: a task is ready
    // (or refused) within the replay timeout, so the service's grace period can be sized to it.
    gateDeadline = System.nanoTime() + config.replay().timeout().toNanos();
    http.start();
    log.info("http listening: bind={} port={}", config.bind(), http.port());
    http.managementPort()
        .ifPresent(
            p ->
                log.info(
                    "management listening: bind={} port={} paths=/metrics,/inflight",
                    config.bind(),
                    p));
    monitor.onConnected(afterOutage -> onTemporalConnected(lifecycle, afterOutage));
    schedules.start(
        connection.stubs(),
        connection.client(),
        metrics,
        Integer.toHexString(config.temporal().toString().hashCode()));
    monitor.onConnected(schedules::onConnected);
    monitor.start();
    if (replayGate.gating()) {
      DaemonThreads.named("drainhost-replay-deadline").newThread(this::replayGateDeadline).start();
    }
    lbSilence.ifPresent(LoadBalancerSilenceWatcher::start);
    ecsWatcher.ifPresent(TaskMetadataWatcher::start);
    protection.ifPresent(
        p -> {
          lifecycle.onTransition(
              (from, to) -> {
                if (to == HostState.DRAINING) {
                  p.drainStarted();
                }
              });
          p.start();
        });
    versionWatcher.ifPresent(w -> w.start(connection.stubs(), connection.namespace()));
    backlog.ifPresent(b -> b.start(connection.stubs(), connection.namespace()));
  }

  /** Runs on the monitor thread after each successful Temporal check. */
  private void onTemporalConnected(Lifecycle lifecycle, boolean afterOutage) {
    HostState s = lifecycle.state();
    if (s != HostState.STARTING && s != HostState.SERVING) {
      return;
    }
    if (replayGate.gating() && replayGateStarted.compareAndSet(false, true)) {
      // Not on the monitor thread: the check may take its whole timeout, and the monitor must
      // keep telling the HTTP layer whether Temporal answers meanwhile.
      DaemonThreads.named("drainhost-replay-gate")
          .newThread(() -> runReplayGate(lifecycle))
          .start();
      return;
    }
    if (afterOutage) {
      workers.restart();
    } else if (!workers.polling()) {
      workers.start(); // does nothing while polling is suspended
    }
  }

  /**
   * At the gate's deadline, a gate that never began (Temporal did not answer) is {@code
   * incomplete}: no evidence, so the host turns ready and its workers poll once Temporal answers.
   */
  private void replayGateDeadline() {
    try {
      Thread.sleep(Math.max(0, (gateDeadline - System.nanoTime()) / 1_000_000));
    } catch (InterruptedException e) {
      return;
    }
    if (replayGateStarted.compareAndSet(false, true)) {
      replayGate.notReached(config.replay().timeout());
      workers.release();
    }
  }

  /**
   * Replays the newest running histories before the first poll; the workers poll afterwards unless
   * the check failed in {@code enforce} mode, when the host refuses and exits instead.
   */
  private void runReplayGate(Lifecycle lifecycle) {
    boolean poll;
    try (WorkerHost.ReplayWorkers replayWorkers = workers.replayWorkers()) {
      poll =
          replayGate.check(
              () ->
                  StandaloneReplayCheck.check(
                      config,
                      connection,
                      workflowTypes,
                      replayWorkers,
                      Duration.ofNanos(Math.max(0, gateDeadline - System.nanoTime()))));
    } catch (RuntimeException e) {
      // Only evidence blocks: a check that could not run is no reason to keep a fleet down.
      replayGate.couldNotRun(e);
      poll = true;
    }
    if (!poll) {
      onReplayRefused.run();
      return;
    }
    workers.release();
    HostState s = lifecycle.state();
    if (s == HostState.STARTING || s == HostState.SERVING) {
      try {
        workers.start();
      } catch (RuntimeException e) {
        log.warn(
            "workers not started yet: {}; they start at the next Temporal check", e.toString());
      }
    }
  }

  /**
   * Scale-in protection while an activity attempt runs that a drain starting now would hand off
   * (the same judgement the drain makes, with the whole shutdown timeout ahead).
   */
  private static Optional<ScaleInProtection> scaleInProtection(
      HostConfig config, InflightRegistry registry, DrainDecider decider, MeterRegistry metrics) {
    FleetSettings fleet = config.fleet();
    if (fleet.protection() == FleetSettings.Protection.OFF) {
      return Optional.empty();
    }
    if (fleet.ecsAgentUri().isEmpty()) {
      log.warn(
          "DRAINHOST_SCALE_IN_PROTECTION=long-work but ECS_AGENT_URI is unset (not on ECS):"
              + " no scale-in protection");
      return Optional.empty();
    }
    return Optional.of(
        new ScaleInProtection(
            new TaskProtectionAgent(fleet.ecsAgentUri().get()),
            fleet.protectionMax(),
            () -> {
              Instant now = Instant.now();
              return registry.snapshot().stream()
                  .filter(i -> i.kind() == WorkKind.ACTIVITY)
                  .anyMatch(i -> decider.decide(i, now, config.shutdownTimeout()).handOffNow());
            },
            Clock.systemUTC(),
            metrics));
  }

  /** The drain's last step: everything that runs in the background, then the connection. */
  private void closeBackground() {
    protection.ifPresent(HostParts::closeQuietly);
    backlog.ifPresent(HostParts::closeQuietly);
    ecsWatcher.ifPresent(HostParts::closeQuietly);
    versionWatcher.ifPresent(HostParts::closeQuietly);
    lbSilence.ifPresent(HostParts::closeQuietly);
    schedules.close();
    monitor.close();
    connection.close();
  }

  private void bindMeters(InflightRegistry registry, Lifecycle lifecycle) {
    for (WorkKind kind : WorkKind.values()) {
      Gauge.builder(MeterNames.INFLIGHT, registry, r -> r.count(kind))
          .tag("kind", kind.wireName())
          .description("work executing in this process")
          .register(metrics);
    }
    Gauge.builder(MeterNames.POLLING_SUSPENDED, workers, w -> w.polling() ? 0 : 1)
        .description("1 while this host takes no new tasks (draining, suspended, or not started)")
        .register(metrics);
    Gauge.builder(MeterNames.DRAINING, lifecycle, l -> l.state() == HostState.DRAINING ? 1 : 0)
        .description("1 while draining, else 0")
        .register(metrics);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.debug("close failed: {}", e.toString());
    }
  }
}
