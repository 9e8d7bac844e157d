package io.drainhost.ecs;

import io.drainhost.metrics.MeterNames;
import io.drainhost.threads.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ECS task scale-in protection while this host runs work a drain could not let finish. While a task
 * is protected, neither service auto scaling's scale-in nor a deployment stops it; the protection
 * is asked for in short renewable pieces, so a host that dies does not leave it behind for long,
 * and never longer than the maximum stretch, so a task whose work never ends is not kept forever.
 * Removed as soon as no such work runs, and at once when a drain starts (ECS is stopping the task
 * anyway). Agent errors are logged and counted and retried at the next check; they never fail the
 * host.
 */
public final class ScaleInProtection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScaleInProtection.class);

  /** How often the host asks itself whether long work runs. */
  static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  /** The longest piece of protection asked for at once; renewed at half of it. */
  static final Duration PIECE = Duration.ofMinutes(10);

  /** What {@code /health} and the gauge show. */
  public enum State {
    /** Not protected: ECS may stop this task. */
    OFF,
    /** Protected while long work runs. */
    ON,
    /** Long work still runs, but the maximum stretch has passed: protection was removed. */
    CAPPED,
    /** A drain started: protection removed for good. */
    RELEASED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final TaskProtectionAgent agent;
  private final Duration max;
  private final BooleanSupplier longWorkRuns;
  private final Clock clock;
  private final Counter errors;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("drainhost-scale-in"));

  private volatile State state = State.OFF;
  private Instant stretchStart;
  private volatile Instant expiresAt;
  private Instant renewAt;
  private volatile String lastError;
  private boolean failing;

  public ScaleInProtection(
      TaskProtectionAgent agent,
      Duration max,
      BooleanSupplier longWorkRuns,
      Clock clock,
      MeterRegistry metrics) {
    this.agent = agent;
    this.max = max;
    this.longWorkRuns = longWorkRuns;
    this.clock = clock;
    this.errors =
        Counter.builder(MeterNames.SCALE_IN_PROTECTION_ERRORS)
            .description("calls to the ECS agent's task protection endpoint that failed")
            .register(metrics);
    Gauge.builder(MeterNames.SCALE_IN_PROTECTION, this, p -> p.state == State.ON ? 1 : 0)
        .description("1 while this task is protected from ECS scale-in and deployments")
        .register(metrics);
  }

  public void start() {
    log.info(
        "scale-in protection on long work: agent={} maxStretch={}m",
        agent.stateUri(),
        max.toMinutes());
    scheduler.scheduleWithFixedDelay(this::check, 0, CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Removes the protection at once, off the caller's thread: the drain never waits for it. */
  public void drainStarted() {
    scheduler.execute(this::release);
  }

  public State state() {
    return state;
  }

  /** For {@code /health}. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", state.wireName());
    if (state == State.ON && expiresAt != null) {
      m.put("expiresAt", expiresAt.toString());
    }
    Optional.ofNullable(lastError).ifPresent(e -> m.put("lastError", e));
    return m;
  }

  /** One check: protect, renew, cap or remove. Runs on the scheduler thread (or a test's). */
  synchronized void check() {
    if (state == State.RELEASED) {
      return;
    }
    Instant now = clock.instant();
    boolean needed = longWorkRuns.getAsBoolean();
    switch (state) {
      case OFF -> {
        if (needed && put(true, now, now)) {
          log.info("scale-in protection on: long work runs; expiresAt={}", expiresAt);
        }
      }
      case ON -> {
        if (!needed) {
          if (put(false, now, null)) {
            log.info("scale-in protection off: no long work runs");
          }
        } else if (!now.isBefore(stretchStart.plus(max))) {
          if (put(false, now, null)) {
            state = State.CAPPED;
            log.warn(
                "scale-in protection removed after its maximum stretch of {}m although long work"
                    + " still runs: ECS may stop this task again (DRAINHOST_SCALE_IN_PROTECTION_MAX)",
                max.toMinutes());
          }
        } else if (!now.isBefore(renewAt) && put(true, now, stretchStart)) {
          log.debug("scale-in protection renewed: expiresAt={}", expiresAt);
        }
      }
      case CAPPED -> {
        if (!needed) {
          state = State.OFF;
        }
      }
      default -> {}
    }
  }

  synchronized void release() {
    State was = state;
    state = State.RELEASED;
    if (was == State.ON && put(false, clock.instant(), null)) {
      log.info("scale-in protection off: the host is draining");
    }
  }

  /**
   * One call to the agent; on success the state follows it. {@code stretch}: when the current
   * stretch of protection began (null to remove it).
   */
  private boolean put(boolean enable, Instant now, Instant stretch) {
    int minutes = 0;
    if (enable) {
      Duration left = Duration.between(now, stretch.plus(max));
      Duration piece = left.compareTo(PIECE) < 0 ? left : PIECE;
      minutes = (int) Math.max(1, (piece.toSeconds() + 59) / 60);
    }
    try {
      agent.set(enable, minutes);
    } catch (IOException | RuntimeException e) {
      errors.increment();
      lastError = e.getMessage() == null ? e.toString() : e.getMessage();
      if (!failing) {
        failing = true;
        log.warn(
            "scale-in protection: the ECS agent did not take the change (retried at the next"
                + " check): enable={} error={}",
            enable,
            lastError);
      }
      return false;
    }
    if (failing) {
      failing = false;
      log.info("scale-in protection: the ECS agent answers again");
    }
    lastError = null;
    if (enable) {
      state = State.ON;
      stretchStart = stretch;
      expiresAt = now.plus(Duration.ofMinutes(minutes));
      renewAt = now.plus(Duration.ofMinutes(minutes).dividedBy(2));
    } else if (state != State.RELEASED) {
      state = State.OFF;
      expiresAt = null;
    }
    return true;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
