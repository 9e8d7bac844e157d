package io.drainhost.temporal;

import io.drainhost.metrics.MeterNames;
import io.drainhost.threads.DaemonThreads;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows whether Temporal is reachable, so requests can fail in milliseconds instead of waiting on
 * gRPC deadlines. Checks with the gRPC health service on a schedule while connected, with
 * exponential backoff and jitter while disconnected, and at once when a request fails hard.
 */
public final class ConnectionMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConnectionMonitor.class);

  private final TemporalConnection connection;
  private final Duration checkInterval;
  private final Backoff backoff;
  private final ScheduledExecutorService scheduler;
  private final List<Consumer<Boolean>> connectedListeners = new CopyOnWriteArrayList<>();
  private final Counter reconnectAttempts;
  private final Counter hardFailures;
  private final Counter softFailures;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private volatile boolean connected;
  private volatile boolean everChecked;
  private volatile boolean outage;
  private volatile boolean everCheckedOk;
  private volatile Instant since = Instant.now();
  private ScheduledFuture<?> next;
  private volatile CompletableFuture<Void> lost = new CompletableFuture<>();
  private final BooleanSupplier paused;

  /**
   * Checks stop while {@code paused} (the drain): a drain's calls go to its hand-offs, and what a
   * draining host's check would change (readiness, a worker restart) no longer matters.
   */
  public ConnectionMonitor(
      TemporalConnection connection,
      Duration checkInterval,
      Duration backoffMax,
      BooleanSupplier paused,
      MeterRegistry registry) {
    this.connection = connection;
    this.paused = paused;
    this.checkInterval = checkInterval;
    this.backoff =
        new Backoff(
            Duration.ofSeconds(1), backoffMax, () -> ThreadLocalRandom.current().nextDouble());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("drainhost-temporal-monitor"));
    Gauge.builder(MeterNames.TEMPORAL_CONNECTED, this, m -> m.connected ? 1 : 0)
        .description("1 when the last Temporal health check succeeded")
        .register(registry);
    this.reconnectAttempts =
        Counter.builder(MeterNames.TEMPORAL_RECONNECT_ATTEMPTS)
            .description("health checks made while disconnected")
            .register(registry);
    this.hardFailures = failures(registry, FailureKind.HARD);
    this.softFailures = failures(registry, FailureKind.SOFT);
  }

  private static Counter failures(MeterRegistry registry, FailureKind kind) {
    return Counter.builder(MeterNames.TEMPORAL_CONNECTION_FAILURES)
        .tag("kind", kind.wireName())
        .description("failed Temporal health checks and requests, by kind")
        .register(registry);
  }

  /**
   * Runs {@code listener} on the monitor thread after every successful check, with {@code true} on
   * the first success after Temporal was unreachable while the host ran.
   */
  public void onConnected(Consumer<Boolean> listener) {
    connectedListeners.add(listener);
  }

  /** Checks once now, on the caller's thread, then keeps checking in the background. */
  public void start() {
    check();
    watchChannel();
    scheduler.scheduleWithFixedDelay(this::nudge, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * While disconnected, asks the gRPC channel to try a new connection now (a TCP connect, not an
   * RPC): gRPC's own reconnect backoff grows to two minutes, and the health checks back off to
   * {@code backoffMax}, but a server that is back should be used within a second.
   */
  private void nudge() {
    if (!connected) {
      channel().ifPresent(ManagedChannel::resetConnectBackoff);
    }
  }

  /**
   * Re-checks at once when the gRPC connection changes under us: a channel that becomes READY while
   * Temporal is thought down, or one that loses its connection while thought up (a killed server is
   * noticed in milliseconds, not at the next scheduled check).
   */
  private void watchChannel() {
    channel()
        .ifPresent(
            ch -> {
              ConnectivityState state = ch.getState(false);
              if (state == ConnectivityState.SHUTDOWN) {
                return;
              }
              ch.notifyWhenStateChanged(
                  state,
                  () -> {
                    ConnectivityState now = ch.getState(false);
                    boolean recovered = !connected && now == ConnectivityState.READY;
                    boolean lost =
                        connected
                            && state == ConnectivityState.READY
                            && now != ConnectivityState.READY;
                    if (recovered || lost) {
                      reschedule(Duration.ZERO);
                    }
                    watchChannel();
                  });
            });
  }

  private Optional<ManagedChannel> channel() {
    return connection.embedded()
        ? Optional.empty()
        : Optional.of(connection.stubs().getRawChannel());
  }

  public boolean connected() {
    return connected;
  }

  public Instant since() {
    return since;
  }

  /** Completes when the connection is next found lost, so waiting requests can give up at once. */
  public CompletableFuture<Void> whenLost() {
    return lost;
  }

  /** A request failed: a hard failure marks Temporal down and re-checks at once. */
  public void reportFailure(Throwable error) {
    FailureKind kind = FailureKind.of(error);
    if (kind == FailureKind.HARD) {
      hardFailures.increment();
      if (connected) {
        markDisconnected(error);
        reschedule(Duration.ZERO);
      }
    } else if (kind == FailureKind.SOFT) {
      softFailures.increment();
    }
  }

  private synchronized void reschedule(Duration delay) {
    if (scheduler.isShutdown()) {
      return;
    }
    if (next != null) {
      next.cancel(false);
    }
    next = scheduler.schedule(this::check, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void check() {
    if (paused.getAsBoolean()) {
      return; // and no next check: a drain ends in a stop
    }
    if (!connected && everChecked) {
      reconnectAttempts.increment();
    }
    try {
      connection.stubs().healthCheck();
      consecutiveFailures.set(0);
      everCheckedOk = true;
      boolean afterOutage = false;
      if (!connected) {
        connected = true;
        afterOutage = outage;
        outage = false;
        lost = new CompletableFuture<>();
        since = Instant.now();
        log.info("temporal connection changed state: state=connected afterOutage={}", afterOutage);
      }
      everChecked = true;
      for (Consumer<Boolean> l : connectedListeners) {
        try {
          l.accept(afterOutage);
        } catch (RuntimeException e) {
          log.warn("after-connect action failed: error={}", e.toString());
        }
      }
      reschedule(checkInterval);
    } catch (RuntimeException e) {
      FailureKind kind = FailureKind.of(e);
      (kind == FailureKind.SOFT ? softFailures : hardFailures).increment();
      if (connected || !everChecked) {
        markDisconnected(e);
      }
      everChecked = true;
      nudge();
      reschedule(backoff.delay(consecutiveFailures.incrementAndGet()));
    }
  }

  private void markDisconnected(Throwable error) {
    // Only an outage after a success counts: workers that never started need no restart.
    outage = outage || everCheckedOk;
    connected = false;
    lost.complete(null);
    since = Instant.now();
    log.warn(
        "temporal connection changed state: state=disconnected kind={} error={}",
        FailureKind.of(error).wireName(),
        error.getMessage());
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
