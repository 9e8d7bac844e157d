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
import io.drainhost.lifecycle.Managed;
import io.drainhost.lifecycle.StartSequence;
import io.drainhost.metrics.MeterNames;
import io.drainhost.replay.ReplayGate;
import io.drainhost.schedules.Schedules;
import io.drainhost.temporal.AcceptedHeartbeats;
import io.drainhost.temporal.ActivityHandoff;
import io.drainhost.temporal.ConnectionMonitor;
import io.drainhost.temporal.TemporalConnection;
import io.drainhost.temporal.TemporalThrottling;
import io.drainhost.temporal.WorkerHost;
import io.drainhost.temporal.WorkerSpec;
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
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of one host, wired once by {@link #wire} (nothing is rewired later, nothing runs yet):
 * the Temporal connection, the workers, the HTTP servers and the background parts, in {@link
 * #start}, the order they start in (the drain stops them in reverse), and the {@link #drain}.
 */
final class HostParts {
  private static final Logger log = LoggerFactory.getLogger(HostParts.class);

  final ConnectionMonitor monitor;
  final HttpServer http;
  final StartSequence start;
  final DrainSequence drain;

  private HostParts(
      ConnectionMonitor monitor, HttpServer http, StartSequence start, DrainSequence drain) {
    this.monitor = monitor;
    this.http = http;
    this.start = start;
    this.drain = drain;
  }

  /** What the host is made of, and the order that makes it serve soonest and lose nothing. */
  static HostParts wire(
      HostConfig config,
      String identity,
      List<WorkerSpec> workerSpecs,
      WorkflowTypes workflowTypes,
      Schedules schedules,
      Lifecycle lifecycle,
      PrometheusMeterRegistry metrics,
      CompletableFuture<Void> drainStarted,
      Consumer<String> drainTrigger) {
    InflightRegistry registry = new InflightRegistry();
    ActivityAttempts attempts = new ActivityAttempts();
    ActivityDurations durations = new ActivityDurations();

    TemporalThrottling throttling = new TemporalThrottling(metrics);
    TemporalConnection connection =
        TemporalConnection.open(
            config.temporal(),
            metrics,
            identity,
            config.requestTimeout(),
            List.of(throttling.interceptor(), new AcceptedHeartbeats(attempts)));
    ConnectionMonitor monitor =
        new ConnectionMonitor(
            connection,
            config.temporalCheckInterval(),
            config.temporalBackoffMax(),
            lifecycle::drainStarted,
            metrics);
    WorkerHost workers =
        new WorkerHost(
            config,
            connection,
            workerSpecs,
            registry,
            attempts,
            durations,
            () -> throttling.current().isPresent(),
            schedules.isEmpty() ? List.of() : List.of(schedules.guard()));
    ReplayGate replayGate = new ReplayGate(config.replay(), metrics);
    WorkerStart workerStart =
        new WorkerStart(
            config,
            connection,
            monitor,
            workers,
            workflowTypes,
            replayGate,
            lifecycle,
            drainTrigger);
    Optional<LoadBalancerSilenceWatcher> lbSilence =
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
    Optional<BacklogWatcher> backlog =
        config
            .fleet()
            .backlogInterval()
            .filter(i -> !connection.embedded())
            .map(
                interval ->
                    new BacklogWatcher(
                        workerSpecs.stream().map(WorkerSpec::taskQueue).distinct().toList(),
                        config.versioning().deployment(),
                        interval,
                        config.fleet().emf() ? Optional.of(System.out) : Optional.empty(),
                        metrics));
    DrainDecider decider = new DrainDecider(config.drainPolicies(), durations);
    Optional<ScaleInProtection> protection = scaleInProtection(config, registry, decider, metrics);
    Optional<VersionWatcher> versionWatcher =
        config
            .versioning()
            .deployment()
            .map(v -> new VersionWatcher(v, config.temporalCheckInterval(), metrics));
    Optional<TaskMetadataWatcher> ecsWatcher =
        config
            .ecsMetadataUri()
            .map(uri -> new TaskMetadataWatcher(uri, config.ecsMetadataPoll(), drainTrigger));
    HttpServer http =
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
                versionWatcher,
                protection,
                throttling,
                drainStarted),
            registry,
            identity,
            connection.client(),
            workflowTypes,
            monitor,
            metrics,
            StrictJson.mapper(),
            schedules);

    StartSequence start =
        new StartSequence(
            List.of(
                // First: liveness answers while the rest starts. The drain stops HTTP gracefully
                // at its own step, before the background parts; its stop here is then a no-op.
                Managed.of(
                    "listen_http", () -> listen(http, config), () -> http.stop(Duration.ZERO)),
                Managed.of("watch_throttling", throttling::start, throttling::close),
                // Before the monitor: its first answer already reconciles the schedules.
                Managed.of(
                    "declare_schedules",
                    () -> {
                      schedules.start(
                          connection.stubs(),
                          connection.client(),
                          metrics,
                          Integer.toHexString(config.temporal().toString().hashCode()),
                          lifecycle::drainStarted);
                      monitor.onConnected(schedules::onConnected);
                    },
                    schedules::close),
                // Before the monitor too: the workers start on its first answer (after the gate).
                workerStart,
                Managed.of("watch_temporal", monitor::start, monitor::close),
                Managed.optional(
                    "watch_lb_silence",
                    lbSilence.map(w -> Managed.of("watch_lb_silence", w::start, w::close))),
                Managed.optional(
                    "watch_ecs_metadata",
                    ecsWatcher.map(w -> Managed.of("watch_ecs_metadata", w::start, w::close))),
                Managed.optional(
                    "scale_in_protection",
                    protection.map(
                        p ->
                            Managed.of(
                                "scale_in_protection",
                                () -> {
                                  lifecycle.onTransition(
                                      (from, to) -> {
                                        if (to == HostState.DRAINING) {
                                          p.drainStarted();
                                        }
                                      });
                                  p.start();
                                },
                                p::close))),
                Managed.optional(
                    "watch_version",
                    versionWatcher.map(
                        w ->
                            Managed.of(
                                "watch_version",
                                () ->
                                    w.start(
                                        connection.stubs(),
                                        connection.namespace(),
                                        lifecycle::drainStarted),
                                w::close))),
                Managed.optional(
                    "watch_backlog",
                    backlog.map(
                        b ->
                            Managed.of(
                                "watch_backlog",
                                () ->
                                    b.start(
                                        connection.stubs(),
                                        connection.namespace(),
                                        lifecycle::drainStarted),
                                b::close)))));

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
    DrainSequence drain =
        new DrainSequence(
            config,
            lifecycle,
            workers,
            registry,
            new ActivityHandoff(connection, attempts, registry),
            decider,
            http,
            start::stopInReverse,
            connection::close,
            departure,
            replayGate::refused,
            metrics);
    bindMeters(metrics, registry, workers, lifecycle);
    return new HostParts(monitor, http, start, drain);
  }

  private static void listen(HttpServer http, HostConfig config) {
    http.start();
    log.info("http listening: bind={} port={}", config.bind(), http.port());
    http.managementPort()
        .ifPresent(
            p ->
                log.info(
                    "management listening: bind={} port={} paths=/metrics,/inflight",
                    config.bind(),
                    p));
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

  private static void bindMeters(
      MeterRegistry metrics, InflightRegistry registry, WorkerHost workers, Lifecycle lifecycle) {
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
}
