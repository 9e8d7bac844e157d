package io.drainhost.temporal;

import io.drainhost.metrics.MeterNames;
import io.drainhost.threads.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal refusing this host's calls with RESOURCE_EXHAUSTED (a namespace over its rate limit):
 * counted per kind of call, and told as streaks. A streak starts with the first refusal and ends
 * after {@link #QUIET} without one; it is logged in a few lines (start, a summary every {@link
 * #SUMMARY_EVERY}, end) instead of the SDK's stack trace per refused poll or heartbeat, and shown
 * by {@code /health} while it lasts. A fleet throttled in its steady state cannot hand work back
 * quickly when it stops: this is how an operator finds out before a deploy strands work.
 */
public final class TemporalThrottling implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TemporalThrottling.class);

  /**
   * A streak ends after this long without a refusal: longer than the SDK's retry waits (a refused
   * heartbeat is sent again after 1 s, a refused poll after a backoff of a few seconds), so one
   * streak is not told as many.
   */
  static final Duration QUIET = Duration.ofSeconds(10);

  static final Duration SUMMARY_EVERY = Duration.ofSeconds(60);

  /** A throttling streak as {@code /health} shows it. */
  public record Streak(Instant since, long calls) {
    public Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("since", since.toString());
      json.put("calls", calls);
      return json;
    }
  }

  private final Clock clock;
  private final Map<CallKind, Counter> counters = new EnumMap<>(CallKind.class);
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("drainhost-throttling"));

  // The current streak; guarded by this.
  private Instant since;
  private Instant lastRefusal;
  private Instant lastSummary;
  private final Map<CallKind, Long> streakCalls = new EnumMap<>(CallKind.class);

  public TemporalThrottling(MeterRegistry metrics) {
    this(metrics, Clock.systemUTC());
  }

  TemporalThrottling(MeterRegistry metrics, Clock clock) {
    this.clock = clock;
    for (CallKind kind : CallKind.values()) {
      // Registered at zero: the first refusal is then an increase a rate() sees.
      counters.put(
          kind,
          Counter.builder(MeterNames.TEMPORAL_THROTTLED)
              .tag("call", kind.wireName())
              .description(
                  "Temporal calls this host made that were refused with RESOURCE_EXHAUSTED (the"
                      + " namespace's rate limit), by kind of call")
              .register(metrics));
    }
  }

  /** The gRPC interceptor that reports each refusal here. */
  public io.grpc.ClientInterceptor interceptor() {
    return new ThrottledCallCounter(this);
  }

  /**
   * Takes over the SDK's log lines for refused polls and heartbeats, then checks every second
   * whether the streak ended (no Temporal call).
   */
  public void start() {
    try {
      SdkThrottleLogs.install();
    } catch (LinkageError withoutLogback) {
      // A service logging through another slf4j binding keeps the SDK's own lines.
    }
    scheduler.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  /** Temporal refused a call of this kind; {@code message} is what it said. */
  void refused(CallKind kind, String method, String message) {
    counters.get(kind).increment();
    Instant now = clock.instant();
    synchronized (this) {
      endIfQuiet(now);
      lastRefusal = now;
      if (since == null) {
        since = now;
        lastSummary = now;
        log.warn(
            "temporal throttling started: call={} method={} message=\"{}\"; refused calls are"
                + " retried and counted in drainhost_temporal_throttled_total. A fleet throttled"
                + " in its steady state cannot hand work back quickly when it stops: raise the"
                + " namespace's rate limit or lower its calls (see docs/fleet.md)",
            kind.wireName(),
            method,
            message);
      }
      streakCalls.merge(kind, 1L, Long::sum);
    }
  }

  /** The streak going on now, if any. */
  public synchronized Optional<Streak> current() {
    endIfQuiet(clock.instant());
    return since == null ? Optional.empty() : Optional.of(new Streak(since, total()));
  }

  synchronized void tick() {
    Instant now = clock.instant();
    endIfQuiet(now);
    if (since != null && !now.isBefore(lastSummary.plus(SUMMARY_EVERY))) {
      lastSummary = now;
      log.warn(
          "temporal throttling continues: sinceMs={} calls={} byCall={}",
          Duration.between(since, now).toMillis(),
          total(),
          byCall());
    }
  }

  private void endIfQuiet(Instant now) {
    if (since != null && !now.isBefore(lastRefusal.plus(QUIET))) {
      log.warn(
          "temporal throttling ended: durationMs={} calls={} byCall={}",
          Duration.between(since, lastRefusal).toMillis(),
          total(),
          byCall());
      since = null;
      streakCalls.clear();
    }
  }

  private long total() {
    return streakCalls.values().stream().mapToLong(Long::longValue).sum();
  }

  private Map<String, Long> byCall() {
    Map<String, Long> byCall = new LinkedHashMap<>();
    streakCalls.forEach((kind, n) -> byCall.put(kind.wireName(), n));
    return byCall;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
