package io.drainhost.tracking;

import java.util.Optional;

/**
 * One activity attempt running on a thread of this process, with the newest heartbeat details the
 * activity reported. The SDK throttles heartbeats, so the server's copy can be seconds older than
 * this one; a hand-off sends this one so the next attempt resumes from the latest checkpoint.
 */
public final class ActivityAttempt {
  private final Thread thread;
  private volatile Optional<Object> latestDetails = Optional.empty();
  private volatile boolean handedOff;

  ActivityAttempt(Thread thread) {
    this.thread = thread;
  }

  public Thread thread() {
    return thread;
  }

  public Optional<Object> latestDetails() {
    return latestDetails;
  }

  /** Temporal accepted this attempt's hand-off: whatever its thread does now is not reported. */
  public void markHandedOff() {
    handedOff = true;
  }

  public boolean handedOff() {
    return handedOff;
  }

  void recordHeartbeat(Object details) {
    latestDetails = Optional.ofNullable(details);
  }
}
