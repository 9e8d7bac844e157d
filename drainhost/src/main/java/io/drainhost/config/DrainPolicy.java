package io.drainhost.config;

import java.util.Locale;

/** What a drain does with an activity attempt of a type (see {@link DrainPolicies}). */
public enum DrainPolicy {
  /** Runs until the shutdown timeout, then is handed off. */
  FINISH,
  /** Handed back to Temporal as soon as the drain starts. */
  HANDOFF,
  /** Handed back at once when this process's observed durations say it will not finish in time. */
  AUTO;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
