package io.drainhost.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replay per build: the hosts of a versioned build share the gate's work through the build's
 * {@link BuildRecord}. The first host to come claims the check and runs it; hosts that start while
 * it runs wait for its verdict and take it whole, a refusal as much as a pass; a host that comes
 * later replays only what the record does not cover (runs started since it, or whose histories have
 * grown), then records the check anew. When the record cannot be read or written, the host checks
 * alone, as an unversioned host does: the record saves work, it never decides what a check would
 * not.
 */
public final class OncePerBuild {
  private static final Logger log = LoggerFactory.getLogger(OncePerBuild.class);

  private OncePerBuild() {}

  /**
   * @param checks a check of this build leaving out the runs given (run id → events recorded)
   */
  public static ReplayReport check(
      BuildRecord record, long deadlineNanos, Function<Map<String, Long>, ReplayCheck> checks) {
    Instant startedAt = Instant.now();
    BuildRecord.Look look;
    try {
      look = record.claimOrWait(deadlineNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return alone(checks, "interrupted while reading it");
    } catch (RuntimeException e) {
      return alone(checks, e.toString());
    }
    if (look instanceof BuildRecord.Shared shared) {
      BuildRecord.Verdict v = shared.verdict();
      log.info(
          "replay gate: taking this build's verdict from {} (run {}): state={} covered={}"
              + " checkedBy={} checkedAt={}",
          record.workflowId(),
          shared.runId(),
          v.state(),
          v.covered().size(),
          v.checkedBy(),
          v.checkedAt());
      return ReplayReport.of(
              0, v.failures(), v.notes(), startedAt, Duration.between(startedAt, Instant.now()))
          .withFromRecord(v.covered().size())
          .withRecord(
              record.workflowId()
                  + " (run "
                  + shared.runId()
                  + "): checked by "
                  + v.checkedBy()
                  + " at "
                  + v.checkedAt());
    }
    if (look instanceof BuildRecord.Held held) {
      return ReplayReport.of(
              0,
              List.of(),
              List.of(
                  "another host of this build still held the check ("
                      + record.workflowId()
                      + ", run "
                      + held.runId()
                      + ") at this host's replay timeout: nothing was replayed here"),
              startedAt,
              Duration.between(startedAt, Instant.now()))
          .withRecord(record.workflowId() + " (run " + held.runId() + "): still checking");
    }
    BuildRecord.Claimed claimed = (BuildRecord.Claimed) look;
    Map<String, Long> recorded =
        claimed.prior().map(BuildRecord.Verdict::eventsByRunId).orElse(Map.of());
    ReplayCheck check = checks.apply(recorded);
    ReplayReport report;
    try {
      report = check.run();
    } catch (RuntimeException e) {
      releaseQuietly(record, claimed.runId(), e.toString());
      throw e;
    }
    try {
      record.write(claimed.runId(), record.verdict(report, check.covered()));
      log.info(
          "replay gate: this build's verdict is recorded in {} (run {})",
          record.workflowId(),
          claimed.runId());
    } catch (RuntimeException e) {
      log.warn(
          "replay gate: this build's verdict is not recorded in {}: {}; the next host checks"
              + " again",
          record.workflowId(),
          e.toString());
      return report;
    }
    return report.withRecord(record.workflowId() + " (run " + claimed.runId() + "): written here");
  }

  private static ReplayReport alone(Function<Map<String, Long>, ReplayCheck> checks, String why) {
    log.warn("replay gate: this build's record cannot be used ({}); checking alone", why);
    return checks.apply(Map.of()).run();
  }

  private static void releaseQuietly(BuildRecord record, String runId, String why) {
    try {
      record.release(runId, why);
    } catch (RuntimeException e) {
      log.warn("replay gate: the claim {} is left to its timeout: {}", runId, e.toString());
    }
  }
}
