package io.drainhost.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Assumptions;

/**
 * Starts the Temporal server a process-level suite runs against. The real server needs the Temporal
 * CLI: without it a suite is skipped (and named in one line at the end of the run by {@link
 * SkippedSuitesListener}), unless {@code DRAINHOST_REQUIRE_TEMPORAL_CLI} is set, as CI sets it, in
 * which case the suite fails.
 */
public final class TemporalServers {
  static final Set<String> skipped = new ConcurrentSkipListSet<>();

  private TemporalServers() {}

  /** Starts a server of this kind for {@code suite}, or skips the suite when it cannot be had. */
  public static TemporalServer start(TemporalServer.Kind kind, Class<?> suite) {
    requireAvailable(kind, suite);
    return TemporalServer.start(kind);
  }

  /** Skips (or, under CI, fails) {@code suite} when {@code kind} cannot be started here. */
  public static void requireAvailable(TemporalServer.Kind kind, Class<?> suite) {
    if (kind != TemporalServer.Kind.TEMPORAL_CLI || TemporalCli.find().isPresent()) {
      return;
    }
    if (TemporalCli.required()) {
      throw new IllegalStateException(
          suite.getSimpleName() + " needs a real Temporal server: " + TemporalCli.missingAdvice());
    }
    skipped.add(suite.getSimpleName());
    Assumptions.abort(TemporalCli.missingAdvice());
  }
}
