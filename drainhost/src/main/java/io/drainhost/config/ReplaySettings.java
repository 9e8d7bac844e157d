package io.drainhost.config;

import java.time.Duration;

/**
 * The replay gate's settings: before its first poll, a host replays the newest running histories of
 * each workflow type it registers against this build's code.
 *
 * @param mode {@code DRAINHOST_REPLAY_GATE}: what a failure does
 * @param sample {@code DRAINHOST_REPLAY_SAMPLE}: at most this many runs per workflow type; 0 turns
 *     the gate off
 * @param timeout {@code DRAINHOST_REPLAY_TIMEOUT}: the bound on the whole check
 */
public record ReplaySettings(Mode mode, int sample, Duration timeout) {
  /** The largest sample: each run is a history fetched and replayed before the first poll. */
  public static final int MAX_SAMPLE = 1000;

  /** What a replay failure does to the host. */
  public enum Mode {
    /** The host never polls, reports the failures and exits 4. */
    ENFORCE,
    /** The host reports the failures, then polls. */
    WARN,
    /** No check. */
    OFF;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public boolean enabled() {
    return mode != Mode.OFF && sample > 0;
  }
}
