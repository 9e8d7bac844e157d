package io.drainhost.replay;

import io.drainhost.config.ReplaySettings;
import io.drainhost.metrics.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's replay gate: runs the check once, before the first poll, keeps its report for {@code
 * /replay} and {@code /health}, logs one line per failing run and counts them, and says whether the
 * workers may poll.
 */
public final class ReplayGate {
  private static final Logger log = LoggerFactory.getLogger(ReplayGate.class);

  private final ReplaySettings settings;
  private final MeterRegistry metrics;
  private volatile ReplayReport report;

  public ReplayGate(ReplaySettings settings, MeterRegistry metrics) {
    this.settings = settings;
    this.metrics = metrics;
    this.report =
        settings.enabled()
            ? ReplayReport.running(Instant.now())
            : ReplayReport.skipped(
                "the replay gate is off (DRAINHOST_REPLAY_GATE="
                    + settings.mode().wireName()
                    + ", DRAINHOST_REPLAY_SAMPLE="
                    + settings.sample()
                    + ")");
    for (ReplayReport.State s : ReplayReport.State.values()) {
      Gauge.builder(MeterNames.REPLAY_STATE, this, g -> g.report.state() == s ? 1 : 0)
          .tag("state", s.wireName())
          .description("1 for the state of this host's replay check, 0 for the others")
          .register(metrics);
    }
  }

  /** Whether the check runs at all; when not, the workers poll without one. */
  public boolean enabled() {
    return settings.enabled();
  }

  /** True while the check is still to run: the workers wait for it. */
  public boolean gating() {
    return settings.enabled() && report.state() == ReplayReport.State.RUNNING;
  }

  public ReplayReport report() {
    return report;
  }

  public ReplaySettings.Mode mode() {
    return settings.mode();
  }

  /** True when the host must not poll: a failed check in {@code enforce} mode. */
  public boolean refused() {
    return report.state() == ReplayReport.State.FAILED
        && settings.mode() == ReplaySettings.Mode.ENFORCE;
  }

  /** Nothing to replay against (the embedded server): said once, the workers poll. */
  public void skip(String why) {
    report = ReplayReport.skipped(why);
    log.info("replay gate skipped: {}", why);
  }

  /**
   * Temporal did not answer before the gate's deadline: nothing was checked, which is no evidence
   * against this build; the report says so and the workers poll once Temporal answers.
   */
  public void notReached(java.time.Duration timeout) {
    report =
        ReplayReport.of(
            0,
            java.util.List.of(),
            java.util.List.of(
                "Temporal did not answer within DRAINHOST_REPLAY_TIMEOUT ("
                    + timeout.toMillis()
                    + " ms): nothing was replayed"),
            report.startedAt(),
            java.time.Duration.between(report.startedAt(), Instant.now()));
    log.warn(
        "replay gate incomplete: Temporal did not answer within {} ms; the workers poll once it"
            + " does, without a replay check",
        timeout.toMillis());
  }

  /** The check itself failed (not a run): the report says so, the workers poll. */
  public void couldNotRun(RuntimeException e) {
    report =
        ReplayReport.of(
            0,
            java.util.List.of(),
            java.util.List.of("the check could not run: " + e),
            report.startedAt(),
            java.time.Duration.between(report.startedAt(), Instant.now()));
    log.warn("replay gate could not run: error={}; polling without it", e.toString());
  }

  /** Runs the check and reports it; returns true when the workers may poll. */
  public boolean check(Supplier<ReplayReport> check) {
    log.info(
        "replay gate: replaying up to {} running histories per workflow type before the first"
            + " poll (mode={}, timeout={}ms)",
        settings.sample(),
        settings.mode().wireName(),
        settings.timeout().toMillis());
    ReplayReport r = check.get();
    for (ReplayFailure f : r.failures()) {
      log.warn(
          "replay failure: workflowId={} runId={} type={} reason={} message={}",
          f.workflowId(),
          f.runId(),
          f.type(),
          f.reason().wireName(),
          f.message());
      Counter.builder(MeterNames.REPLAY_FAILURES)
          .tag("reason", f.reason().wireName())
          .description("runs of the replay check that failed, by reason")
          .register(metrics)
          .increment();
    }
    r.notes().forEach(n -> log.warn("replay gate incomplete: {}", n));
    Counter.builder(MeterNames.REPLAY_CHECKED)
        .description("running histories the replay check fetched and replayed")
        .register(metrics)
        .increment(r.checked());
    Timer.builder(MeterNames.REPLAY_DURATION)
        .description("duration of the replay check before the first poll")
        .register(metrics)
        .record(r.duration());
    report = r;
    boolean poll = !refused();
    log.info(
        "replay report: state={} checked={} fromRecord={} nondeterminism={} replayError={}"
            + " unknownType={} fetchFailed={} replayIncomplete={} durationMs={} mode={} verdict={}",
        r.state().wireName(),
        r.checked(),
        r.fromRecord(),
        r.failures(ReplayFailure.Reason.NONDETERMINISM),
        r.failures(ReplayFailure.Reason.REPLAY_ERROR),
        r.failures(ReplayFailure.Reason.UNKNOWN_TYPE),
        r.failures(ReplayFailure.Reason.FETCH_FAILED),
        r.failures(ReplayFailure.Reason.REPLAY_INCOMPLETE),
        r.duration().toMillis(),
        settings.mode().wireName(),
        poll ? "poll" : "refuse");
    return poll;
  }
}
