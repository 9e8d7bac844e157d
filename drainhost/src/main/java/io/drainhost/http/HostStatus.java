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

  /** A {@code /health} request arrived with this User-Agent (possibly null). */
  void readinessProbed(String userAgent);
}
