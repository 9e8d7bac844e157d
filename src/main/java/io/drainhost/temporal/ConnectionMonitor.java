package io.drainhost.temporal;

import io.drainhost.metrics.MeterNames;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final List<Runnable> connectedListeners = new CopyOnWriteArrayList<>();
  private final Counter reconnectAttempts;
  private final Counter hardFailures;
  private final Counter softFailures;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private volatile boolean connected;
  private volatile boolean everChecked;
  private volatile Instant since = Instant.now();
  private ScheduledFuture<?> next;

  public ConnectionMonitor(
      TemporalConnection connection, Duration checkInterval, Duration backoffMax, MeterRegistry registry) {
    this.connection = connection;
    this.checkInterval = checkInterval;
    this.backoff =
        new Backoff(Duration.ofSeconds(1), backoffMax, () -> ThreadLocalRandom.current().nextDouble());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "drainhost-temporal-monitor");
              t.setDaemon(true);
              return t;
            });
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

  /** Runs {@code listener} on the monitor thread after every successful check. */
  public void onConnected(Runnable listener) {
    connectedListeners.add(listener);
  }

  /** Checks once now, on the caller's thread, then keeps checking in the background. */
  public void start() {
    check();
  }

  public boolean connected() {
    return connected;
  }

  public Instant since() {
    return since;
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
    if (!connected && everChecked) {
      reconnectAttempts.increment();
    }
    try {
      connection.stubs().healthCheck();
      consecutiveFailures.set(0);
      if (!connected) {
        connected = true;
        since = Instant.now();
        log.info("temporal connection changed state: state=connected");
      }
      everChecked = true;
      for (Runnable l : connectedListeners) {
        try {
          l.run();
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
      // gRPC's own reconnect backoff grows to minutes; reset it so our schedule decides.
      if (connection.stubs().getRawChannel() instanceof ManagedChannel) {
        ((ManagedChannel) connection.stubs().getRawChannel()).resetConnectBackoff();
      }
      reschedule(backoff.delay(consecutiveFailures.incrementAndGet()));
    }
  }

  private void markDisconnected(Throwable error) {
    connected = false;
    since = Instant.now();
    log.warn(
        "temporal connection changed state: state=disconnected kind={} error={}",
        FailureKind.of(error).wireName(), error.getMessage());
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
