package io.drainhost.http;

/** What the HTTP layer reads about the rest of the host, without depending on how it is built. */
public interface HostStatus {
  io.drainhost.lifecycle.HostState state();

  /** Work executing in this process now. */
  int inflight();

  boolean temporalConnected();

  java.time.Instant temporalSince();

  boolean pollingSuspended();

  /** Whether readiness fails while Temporal is unreachable (opt-in). */
  boolean readinessRequiresTemporal();

  /** Completes when the host starts to drain: requests that wait on purpose stop waiting. */
  java.util.concurrent.CompletableFuture<Void> drainStarted();

  /** The last report of the replay gate ({@code GET /replay}). */
  io.drainhost.replay.ReplayReport replay();

  /** {@code DRAINHOST_REPLAY_GATE}, as configured. */
  String replayMode();

  /** True once the replay gate refused this build: readiness fails with {@code replay_failed}. */
  boolean replayRefused();

  /** The Worker Deployment Version this host joined, as Temporal last described it; or none. */
  java.util.Optional<io.drainhost.versioning.VersionStatus> deployment();

  /** ECS task scale-in protection ({@code DRAINHOST_SCALE_IN_PROTECTION}), when it is on. */
  java.util.Optional<java.util.Map<String, Object>> scaleInProtection();

  /**
   * The streak of calls Temporal is refusing with RESOURCE_EXHAUSTED ({@code since}, {@code
   * calls}), while it lasts.
   */
  java.util.Optional<java.util.Map<String, Object>> temporalThrottled();

  /** A {@code /health} request arrived with this User-Agent (possibly null). */
  void readinessProbed(String userAgent);
}
