package io.drainhost.lifecycle;

import java.util.Locale;
import java.util.Set;

/** The states of a host, in order. A host only moves forward; see {@link #canMoveTo}. */
public enum HostState {
  STARTING,
  SERVING,
  DRAINING,
  STOPPED;

  /** STARTING may skip SERVING (a signal during startup); nothing moves backward. */
  public boolean canMoveTo(HostState next) {
    switch (this) {
      case STARTING:
        return Set.of(SERVING, DRAINING, STOPPED).contains(next);
      case SERVING:
        return Set.of(DRAINING, STOPPED).contains(next);
      case DRAINING:
        return next == STOPPED;
      default:
        return false;
    }
  }

  /** The lower-case name used on the wire ({@code /health} and error codes). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
