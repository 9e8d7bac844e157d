package io.drainhost.tracking;

import java.util.Locale;

/**
 * The kinds of work a host tracks; {@link #wireName()} is the {@code kind} of /inflight and
 * metrics.
 */
public enum WorkKind {
  ACTIVITY,
  WORKFLOW_TASK;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
