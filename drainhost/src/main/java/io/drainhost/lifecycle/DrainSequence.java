package io.drainhost.lifecycle;

import io.drainhost.config.HostConfig;
import io.drainhost.metrics.MeterNames;
import io.drainhost.temporal.ActivityHandoff;
import io.drainhost.temporal.WorkerHost;
import io.drainhost.tracking.DrainDecision;
import io.drainhost.tracking.InflightItem;
import io.drainhost.tracking.InflightRegistry;
import io.drainhost.tracking.WorkKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drain, in the order that loses nothing: readiness already false (the caller moved the host to
 * DRAINING) → stop polling → hand off early what will not fit → wait for in-flight work within the
 * shutdown timeout → hand off what is left → stop HTTP → stop the background parts → close
 * Temporal. Each step is logged with its elapsed time; no step waits past the ECS stop timeout.
 *
 * <p>The time line, from the drain's start: the shutdown timeout ends the wait for in-flight work;
 * hand-off retries end {@code DRAINHOST_HANDOFF_MARGIN} before the stop timeout, which leaves the
 * margin for the HTTP stop, the background parts, the Temporal connection and the exit; the last
 * {@link #EXIT_RESERVE} is the JVM's own.
 */
public final class DrainSequence {
  private static final Logger log = LoggerFactory.getLogger(DrainSequence.class);

  /**
   * Kept before the SIGKILL for the JVM to exit after the last step, whatever the margin: HotSpot's
   * exit waits up to 300 ms for threads in native code (a selector in epoll), then the process must
   * be torn down. Fixed, because it is the JVM's time, not the host's.
   */
  private static final Duration EXIT_RESERVE = Duration.ofMillis(500);

  /** Longest wait for the outstanding polls to end (the SDK cancels them within a second). */
  private static final Duration POLLS_END_WAIT = Duration.ofMillis(1500);

  /**
   * The longest closing the Temporal connection may take (channel, then its event loop), kept from
   * the HTTP stop; with less left it gets what is left.
   */
  private static final Duration CLOSE_RESERVE = Duration.ofMillis(2500);

  private final HostConfig config;
  private final Lifecycle lifecycle;
  private final WorkerHost workers;
  private final InflightRegistry registry;
  private final ActivityHandoff handoff;
  private final DrainDecider decider;
  private final GracefulStop http;
  private final Runnable background;
  private final GracefulStop temporal;
  private final DepartureCheck departure;
  private final BooleanSupplier replayRefused;
  private final Counter earlyHandoffs;
  private final Counter deadlineHandoffs;
  private final Counter handoffRetries;
  private final Timer drainTimer;

  public DrainSequence(
      HostConfig config,
      Lifecycle lifecycle,
      WorkerHost workers,
      InflightRegistry registry,
      ActivityHandoff handoff,
      DrainDecider decider,
      GracefulStop http,
      Runnable background,
      GracefulStop temporal,
      DepartureCheck departure,
      BooleanSupplier replayRefused,
      MeterRegistry metrics) {
    this.departure = departure;
    this.background = background;
    this.replayRefused = replayRefused;
    this.config = config;
    this.lifecycle = lifecycle;
    this.workers = workers;
    this.registry = registry;
    this.handoff = handoff;
    this.decider = decider;
    this.http = http;
    this.temporal = temporal;
    this.earlyHandoffs = handoffCounter(metrics, "early");
    this.deadlineHandoffs = handoffCounter(metrics, "deadline");
    this.handoffRetries =
        Counter.builder(MeterNames.HANDOFF_RETRIES)
            .description(
                "hand-off calls Temporal refused for now (rate limited, unavailable) and that were"
                    + " sent again")
            .register(metrics);
    this.drainTimer =
        Timer.builder(MeterNames.DRAIN).description("duration of drains").register(metrics);
  }

  private static Counter handoffCounter(MeterRegistry metrics, String when) {
    return Counter.builder(MeterNames.HANDOFFS)
        .tag("when", when)
        .description(
            "activity attempts handed back to Temporal: early (when the drain started, by policy)"
                + " or at the deadline")
        .register(metrics);
  }

  /** Runs the whole drain on the calling thread; returns the process exit code. */
  public ExitCode run(String trigger) {
    long start = System.nanoTime();
    long deadline = start + config.shutdownTimeout().toNanos();
    long handoffEnd = start + config.stopTimeout().minus(config.handoffMargin()).toNanos();
    long hardEnd = start + config.stopTimeout().minus(EXIT_RESERVE).toNanos();
    Map<String, Long> stepsMs = new LinkedHashMap<>();
    int atStart = registry.total();
    log.info(
        "drain started: trigger={} inflight={} shutdownTimeout={}ms stopTimeout={}ms",
        trigger,
        atStart,
        config.shutdownTimeout().toMillis(),
        config.stopTimeout().toMillis());

    // Asked beside the drain, never in its way: it needs Temporal, which may be slow or gone.
    CompletableFuture<Optional<String>> leftBehind =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                Optional<String> w = departure.warning();
                w.ifPresent(m -> log.warn("drain: {}", m));
                return w;
              } catch (RuntimeException e) {
                log.debug("departure check failed: {}", e.toString());
                return Optional.empty();
              }
            });

    long t = System.nanoTime();
    workers.stopPolling();
    // Hand nothing back while a poll of ours is still open: the server could give the next attempt
    // of a handed-off activity to that poll, and this stopping host would never run it.
    if (!workers.awaitPollsEnded(min(POLLS_END_WAIT, remaining(deadline)))) {
      log.warn("polls still outstanding {} ms after polling stopped", POLLS_END_WAIT.toMillis());
    }
    step(stepsMs, "stop_polling", t);

    // What will not finish in time goes back to Temporal now, not at the deadline: its next
    // attempt runs elsewhere about a second after SIGTERM instead of after the shutdown timeout.
    t = System.nanoTime();
    List<InflightItem> early = decideEarlyHandoffs(remaining(deadline));
    ActivityHandoff.Outcome earlyOutcome = ActivityHandoff.Outcome.NONE;
    if (!early.isEmpty()) {
      // Retries of a throttled early hand-off may use the time until the shutdown timeout: what
      // is still not handed back then is still registered, and is handed off again with the
      // deadline's stragglers (so only the deadline's outcome counts as failed).
      earlyOutcome = handoff.handOff(early, rpcDeadline(hardEnd), Math.min(deadline, handoffEnd));
      earlyHandoffs.increment(earlyOutcome.handedOff());
      handoffRetries.increment(earlyOutcome.retries());
    }
    step(stepsMs, "early_handoff", t);

    t = System.nanoTime();
    long finishedBefore = registry.finishedTotal();
    boolean allDone = waitForWork(deadline);
    long finished = registry.finishedTotal() - finishedBefore;
    step(stepsMs, "wait_inflight", t);

    ActivityHandoff.Outcome outcome = ActivityHandoff.Outcome.NONE;
    int leftWorkflowTasks = 0;
    if (!allDone) {
      t = System.nanoTime();
      List<InflightItem> left = registry.snapshot();
      List<InflightItem> activities =
          left.stream().filter(i -> i.kind() == WorkKind.ACTIVITY).collect(Collectors.toList());
      leftWorkflowTasks = left.size() - activities.size();
      log.warn(
          "drain deadline reached: activities={} workflowTasks={}; handing activities back to Temporal",
          activities.size(),
          leftWorkflowTasks);
      outcome = handoff.handOff(activities, rpcDeadline(hardEnd), handoffEnd);
      deadlineHandoffs.increment(outcome.handedOff());
      handoffRetries.increment(outcome.retries());
      finished += outcome.finishedMeanwhile();
      step(stepsMs, "handoff", t);

      t = System.nanoTime();
      handoff.leaveToTemporal(
          registry.snapshot().stream().filter(i -> i.kind() == WorkKind.ACTIVITY).toList(),
          outcome.failedCause());
      workers.interruptRemaining();
      // The handed-off attempts are no longer ours; give their threads a moment to unwind, and
      // no more than they take: the rest of the workers' shutdown needs no waiting for.
      workers.awaitAttemptsEnded(min(remaining(hardEnd).dividedBy(2), Duration.ofSeconds(1)));
      step(stepsMs, "unwind", t);
    }

    t = System.nanoTime();
    // Requests still being served may use the time left, less what closing Temporal may take.
    http.stop(max(Duration.ofMillis(200), remaining(hardEnd).minus(CLOSE_RESERVE)));
    step(stepsMs, "stop_http", t);

    String leftBehindNote;
    try {
      leftBehindNote =
          leftBehind
              .get(min(Duration.ofSeconds(1), remaining(hardEnd)).toMillis(), TimeUnit.MILLISECONDS)
              .orElse("none");
    } catch (TimeoutException e) {
      leftBehindNote = "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      leftBehindNote = "unknown";
    } catch (ExecutionException e) {
      leftBehindNote = "unknown";
    }
    t = System.nanoTime();
    background.run();
    step(stepsMs, "stop_background", t);

    t = System.nanoTime();
    try {
      temporal.stop(max(Duration.ofMillis(100), min(CLOSE_RESERVE, remaining(hardEnd))));
    } catch (RuntimeException e) {
      log.warn("closing the Temporal connection failed: error={}", e.toString());
    }
    step(stepsMs, "close_temporal", t);

    // Work still registered now neither finished nor was handed back (its report is stuck, e.g.
    // because Temporal is unreachable); Temporal will only find out through a timeout.
    int stranded = registry.total();
    lifecycle.transition(HostState.DRAINING, HostState.STOPPED);
    long totalNanos = System.nanoTime() - start;
    drainTimer.record(Duration.ofNanos(totalNanos));
    ExitCode exitCode;
    if (replayRefused.getAsBoolean()) {
      exitCode = ExitCode.REPLAY_REFUSED;
    } else if (outcome.failed() > 0 || stranded > 0) {
      exitCode = ExitCode.HANDOFF_INCOMPLETE;
    } else {
      exitCode = ExitCode.CLEAN;
    }
    log.info(
        "drain report: trigger={} inflightAtStart={} finished={} handedOff={} handedOffEarly={}"
            + " handoffFailed={} handoffFailedCause={} handoffRetries={}"
            + " workflowTasksLeft={} stranded={} stepsMs={} totalMs={} exitCode={} leftBehind={}",
        trigger,
        atStart,
        finished,
        outcome.handedOff() + earlyOutcome.handedOff(),
        earlyOutcome.handedOff(),
        outcome.failed(),
        outcome.failedCause(),
        outcome.retries() + earlyOutcome.retries(),
        leftWorkflowTasks,
        stranded,
        stepsMs,
        totalNanos / 1_000_000,
        exitCode.code(),
        leftBehindNote);
    return exitCode;
  }

  /**
   * Decides for every activity attempt in flight, logs each decision and keeps it for /inflight;
   * returns the attempts to hand off now.
   */
  private List<InflightItem> decideEarlyHandoffs(Duration left) {
    Instant now = Instant.now();
    List<InflightItem> early = new ArrayList<>();
    for (InflightItem item : registry.snapshot()) {
      if (item.kind() != WorkKind.ACTIVITY) {
        continue;
      }
      DrainDecision decision = decider.decide(item, now, left);
      registry.decided(item, decision);
      log.info(
          "drain decision: workflowId={} activityType={} attempt={} policy={} decision={} reason={}",
          item.workflowId(),
          item.type(),
          item.attempt(),
          decision.policy().wireName(),
          decision.handOffNow() ? "handoff_now" : "finish",
          decision.reason());
      if (decision.handOffNow()) {
        early.add(item);
      }
    }
    return early;
  }

  /**
   * How long the hand-off RPCs may take: half of what is left before the SIGKILL (the rest is for
   * stopping HTTP, closing Temporal and exiting), at most 2 s.
   */
  private static Duration rpcDeadline(long hardEnd) {
    return min(remaining(hardEnd).dividedBy(2), Duration.ofSeconds(2));
  }

  /**
   * Waits until nothing is in flight, or the deadline passes. Not for the worker factories to
   * terminate: their polls have ended, and an attempt handed off early keeps its SDK slot until the
   * factory is closed, so waiting for termination would wait out the whole shutdown timeout after
   * every early hand-off. Only the handed-off attempts' threads get a moment to leave their code.
   */
  private boolean waitForWork(long deadline) {
    try {
      if (!registry.awaitEmpty(remaining(deadline))) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    workers.awaitAttemptsEnded(min(remaining(deadline), Duration.ofSeconds(1)));
    return true;
  }

  private static void step(Map<String, Long> stepsMs, String name, long startNanos) {
    long ms = (System.nanoTime() - startNanos) / 1_000_000;
    stepsMs.put(name, ms);
    log.info("drain step done: step={} elapsedMs={}", name, ms);
  }

  private static Duration remaining(long deadlineNanos) {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
