package io.drainhost;

import io.drainhost.config.HostConfig;
import io.drainhost.ecs.LoadBalancerSilenceWatcher;
import io.drainhost.ecs.ScaleInProtection;
import io.drainhost.http.HostStatus;
import io.drainhost.lifecycle.HostState;
import io.drainhost.lifecycle.Lifecycle;
import io.drainhost.replay.ReplayGate;
import io.drainhost.replay.ReplayReport;
import io.drainhost.temporal.ConnectionMonitor;
import io.drainhost.temporal.TemporalThrottling;
import io.drainhost.temporal.WorkerHost;
import io.drainhost.tracking.InflightRegistry;
import io.drainhost.versioning.VersionStatus;
import io.drainhost.versioning.VersionWatcher;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What the HTTP layer reads of the host: each answer comes from the part that knows it. */
final class HostStatusView implements HostStatus {
  private final HostConfig config;
  private final Lifecycle lifecycle;
  private final InflightRegistry registry;
  private final ConnectionMonitor monitor;
  private final WorkerHost workers;
  private final Optional<LoadBalancerSilenceWatcher> lbSilence;
  private final CompletableFuture<Void> drainStarted;
  private final ReplayGate replayGate;
  private final Optional<VersionWatcher> deployment;
  private final Optional<ScaleInProtection> protection;
  private final TemporalThrottling throttling;

  HostStatusView(
      HostConfig config,
      Lifecycle lifecycle,
      InflightRegistry registry,
      ConnectionMonitor monitor,
      WorkerHost workers,
      Optional<LoadBalancerSilenceWatcher> lbSilence,
      ReplayGate replayGate,
      Optional<VersionWatcher> deployment,
      Optional<ScaleInProtection> protection,
      TemporalThrottling throttling,
      CompletableFuture<Void> drainStarted) {
    this.throttling = throttling;
    this.protection = protection;
    this.deployment = deployment;
    this.replayGate = replayGate;
    this.config = config;
    this.lifecycle = lifecycle;
    this.registry = registry;
    this.monitor = monitor;
    this.workers = workers;
    this.lbSilence = lbSilence;
    this.drainStarted = drainStarted;
  }

  @Override
  public HostState state() {
    return lifecycle.state();
  }

  @Override
  public int inflight() {
    return registry.total();
  }

  @Override
  public boolean temporalConnected() {
    return monitor.connected();
  }

  @Override
  public Instant temporalSince() {
    return monitor.since();
  }

  /** True unless workers poll now: reported only once polling has really stopped. */
  @Override
  public boolean pollingSuspended() {
    return !workers.polling();
  }

  @Override
  public CompletableFuture<Void> drainStarted() {
    return drainStarted;
  }

  @Override
  public void readinessProbed(String userAgent) {
    lbSilence.ifPresent(w -> w.healthCheck(userAgent));
  }

  @Override
  public ReplayReport replay() {
    return replayGate.report();
  }

  @Override
  public String replayMode() {
    return replayGate.mode().wireName();
  }

  @Override
  public boolean replayRefused() {
    return replayGate.refused();
  }

  @Override
  public Optional<VersionStatus> deployment() {
    return deployment.map(VersionWatcher::status);
  }

  @Override
  public Optional<Map<String, Object>> scaleInProtection() {
    return protection.map(ScaleInProtection::toJson);
  }

  @Override
  public Optional<Map<String, Object>> temporalThrottled() {
    return throttling.current().map(TemporalThrottling.Streak::toJson);
  }

  @Override
  public boolean readinessRequiresTemporal() {
    return config.readinessRequiresTemporal();
  }
}
