package io.drainhost.temporal;

import io.grpc.Status;
import java.util.Locale;

/** Why an attempt was not handed back, as the drain report names it. */
public enum HandoffFailure {
  /** Temporal kept refusing the call with RESOURCE_EXHAUSTED: the namespace's rate limit. */
  THROTTLED,
  /** Temporal did not answer in time, or the connection was gone. */
  UNREACHABLE,
  /**
   * Temporal had already closed the attempt, still running here: its heartbeat timeout passed
   * before the hand-off reached it (a keep-alive heartbeat was refused too). It runs again anyway.
   */
  TIMED_OUT,
  /** Temporal answered no for good (a bad request, no permission). */
  REJECTED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static HandoffFailure of(Status.Code code) {
    return switch (code) {
      case RESOURCE_EXHAUSTED -> THROTTLED;
      case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, ABORTED, UNKNOWN -> UNREACHABLE;
      case NOT_FOUND -> TIMED_OUT;
      default -> REJECTED;
    };
  }
}
