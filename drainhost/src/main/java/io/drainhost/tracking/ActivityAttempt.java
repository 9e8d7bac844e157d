package io.drainhost.tracking;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One activity attempt running on a thread of this process, with the newest heartbeat details the
 * activity reported. The SDK throttles heartbeats, so the server's copy can be seconds older than
 * this one; a hand-off sends this one so the next attempt resumes from the latest checkpoint.
 */
public final class ActivityAttempt {
  /** Kept before Temporal's heartbeat timeout by a heartbeat that waited: a round trip or two. */
  static final long HEADROOM = java.util.concurrent.TimeUnit.SECONDS.toNanos(3);

  private final Thread thread;
  private final Duration heartbeatTimeout;
  private volatile long lastHeartbeatAccepted;
  private long lastHeartbeatCall;
  private volatile Optional<Object> latestDetails = Optional.empty();
  private volatile boolean handedOff;
  private volatile boolean left;
  private volatile boolean departing;
  private volatile Runnable stopSdkHeartbeats = () -> {};

  ActivityAttempt(Thread thread, Duration heartbeatTimeout) {
    this(thread, heartbeatTimeout, System.nanoTime());
  }

  ActivityAttempt(Thread thread, Duration heartbeatTimeout, long startedAt) {
    this.thread = thread;
    this.heartbeatTimeout = heartbeatTimeout;
    // The server's heartbeat timer starts when it hands the attempt out, a moment before this.
    this.lastHeartbeatAccepted = startedAt;
    this.lastHeartbeatCall = lastHeartbeatAccepted;
  }

  /**
   * Whether a heartbeat the activity reports now may stay here, while the namespace is throttled:
   * Temporal's clock for it has {@link #HEADROOM} to spare even after the activity's next heartbeat
   * at its own pace (judged by the time since its last one), so nothing times out. Called on the
   * activity's thread, for each heartbeat, before {@link #recordHeartbeat}.
   */
  boolean heartbeatMayWait(long now) {
    OptionalLong deadline = heartbeatDeadline();
    long cadence = now - lastHeartbeatCall;
    return deadline.isPresent() && now + cadence <= deadline.getAsLong() - HEADROOM;
  }

  /**
   * When Temporal will time this attempt out for want of a heartbeat ({@link System#nanoTime()}),
   * from the last heartbeat it accepted; none without a heartbeat timeout.
   */
  public OptionalLong heartbeatDeadline() {
    return heartbeatTimeout.isZero()
        ? OptionalLong.empty()
        : OptionalLong.of(lastHeartbeatAccepted + heartbeatTimeout.toNanos());
  }

  /** Temporal accepted a heartbeat of this attempt sent at {@code sentAt} (nanoTime). */
  public void heartbeatAccepted(long sentAt) {
    if (sentAt - lastHeartbeatAccepted > 0) {
      lastHeartbeatAccepted = sentAt;
    }
  }

  public Thread thread() {
    return thread;
  }

  public Optional<Object> latestDetails() {
    return latestDetails;
  }

  /**
   * The drain is handing this attempt back (decided {@code handoff_now}, or reached by the
   * deadline): it sends no more heartbeats. Its newest details travel with the hand-off, and on a
   * throttled namespace every heartbeat spends rate the hand-offs need (Temporal ranks heartbeats
   * above the hand-off's RespondActivityTaskFailed). At most one heartbeat already on its way still
   * goes.
   */
  public void markDeparting() {
    departing = true;
    stopSdkHeartbeats.run();
  }

  public boolean departing() {
    return departing;
  }

  /** What stops the heartbeat the SDK has scheduled for this attempt, if it can be stopped. */
  void onDeparting(Runnable stopSdkHeartbeats) {
    this.stopSdkHeartbeats = stopSdkHeartbeats;
  }

  /** Temporal accepted this attempt's hand-off: whatever its thread does now is not reported. */
  public void markHandedOff() {
    handedOff = true;
  }

  public boolean handedOff() {
    return handedOff;
  }

  /**
   * The drain could not hand this attempt back and leaves it to Temporal, which runs it again after
   * its heartbeat timeout: its thread ends quietly like a handed-off one's, without a report (a
   * throttled or unreachable Temporal would refuse that too) and without the SDK's stack trace.
   */
  public void markLeft() {
    left = true;
  }

  /** Handed off or left: what the thread does now is not reported to Temporal. */
  public boolean released() {
    return handedOff || left;
  }

  void recordHeartbeat(Object details, long now) {
    lastHeartbeatCall = now;
    latestDetails = Optional.ofNullable(details);
  }
}
