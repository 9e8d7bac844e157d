package io.drainhost.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.drainhost.bench.BenchDriver.BenchError;
import io.drainhost.threads.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load generator of {@code bench}: starts workflows at a target rate (open loop, with a linear
 * ramp-up) or as fast as {@code concurrency} clients can (closed loop, rate 0), waits for every
 * started workflow to close, and reports throughput and end-to-end latency percentiles.
 */
public final class WorkflowBenchmark {
  /** What to run; see the {@code bench} command's options. */
  public record Options(
      BenchPattern pattern,
      double rate,
      Duration duration,
      Duration rampUp,
      int concurrency,
      int activitySeconds,
      int activities,
      int millis,
      Duration maxP99,
      Double minThroughput,
      Path json,
      Duration completionTimeout,
      int metricsPort) {}

  private final Options options;
  private final BenchDriver driver;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer latency;
  private final Counter startedCounter;
  private final Counter completedCounter;
  private final Recorder recorder = new Recorder(3);
  private final Histogram histogram = new Histogram(3);
  private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong lastCompletionNanos = new AtomicLong();
  private final Phaser outstanding = new Phaser(1);
  private final Semaphore inFlight;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong sequence = new AtomicLong();
  private long startNanos;

  WorkflowBenchmark(Options options, BenchDriver driver) {
    this.options = options;
    this.driver = driver;
    this.inFlight = new Semaphore(options.concurrency());
    this.latency =
        Timer.builder("benchmark.workflow.latency")
            .description("end-to-end workflow latency seen by the bench client")
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(registry);
    this.startedCounter = Counter.builder("benchmark.workflows.started").register(registry);
    this.completedCounter = Counter.builder("benchmark.workflows.completed").register(registry);
  }

  /** Runs the load, prints the table (and JSON), returns 0 when every threshold is met, else 4. */
  public static int run(Options options, BenchDriver driver) {
    try (driver) {
      WorkflowBenchmark bench = new WorkflowBenchmark(options, driver);
      com.sun.net.httpserver.HttpServer metrics = bench.serveMetrics();
      try {
        BenchReport report = bench.execute();
        System.out.print(report.table());
        if (options.json() != null) {
          new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValue(options.json().toFile(), report);
          System.out.println("json: " + options.json());
        }
        return bench.verdict(report);
      } finally {
        if (metrics != null) {
          metrics.stop(0);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private com.sun.net.httpserver.HttpServer serveMetrics() throws IOException {
    if (options.metricsPort() <= 0) {
      return null;
    }
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(
            new InetSocketAddress("127.0.0.1", options.metricsPort()), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return server;
  }

  BenchReport execute() {
    startNanos = System.nanoTime();
    long endNanos = startNanos + options.duration().toNanos();
    if (options.rate() > 0) {
      openLoop(endNanos);
    } else {
      closedLoop(endNanos);
    }
    double loadSeconds = (System.nanoTime() - startNanos) / 1e9;
    try {
      outstanding.awaitAdvanceInterruptibly(
          outstanding.arrive(), options.completionTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // reported as "not completed"
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    histogram.add(recorder.getIntervalHistogram());
    long last = lastCompletionNanos.get();
    double completionWindow = last > 0 ? (last - startNanos) / 1e9 : loadSeconds;
    TreeMap<String, Long> errorTable = new TreeMap<>();
    errors.forEach((k, v) -> errorTable.put(k, v.get()));
    long s = started.get();
    return new BenchReport(
        options.pattern().wireName,
        driver.describe(),
        options.rate(),
        loadSeconds,
        s,
        completed.get(),
        failed.get(),
        s - completed.get() - failed.get(),
        s / loadSeconds,
        completed.get() / completionWindow,
        ms(histogram.getValueAtPercentile(50)),
        ms(histogram.getValueAtPercentile(95)),
        ms(histogram.getValueAtPercentile(99)),
        ms(histogram.getMaxValue()),
        errorTable);
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }

  private void openLoop(long endNanos) {
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("bench-ticker"));
    long[] issued = {0};
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    ticker.scheduleAtFixedRate(
        () -> {
          long now = System.nanoTime();
          if (now >= endNanos) {
            done.countDown();
            return;
          }
          long due = (long) Math.floor(scheduledStarts((now - startNanos) / 1e9));
          while (issued[0] < due && inFlight.tryAcquire()) {
            issued[0]++;
            launch(false, endNanos);
          }
        },
        0,
        5,
        TimeUnit.MILLISECONDS);
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ticker.shutdownNow();
  }

  /** Starts due by {@code t} seconds: the rate ramps up linearly over the ramp-up, then holds. */
  double scheduledStarts(double t) {
    double ramp = options.rampUp().toMillis() / 1000.0;
    double r = options.rate();
    if (ramp <= 0) {
      return r * t;
    }
    return t <= ramp ? r * t * t / (2 * ramp) : r * ramp / 2 + r * (t - ramp);
  }

  private void closedLoop(long endNanos) {
    for (int i = 0; i < options.concurrency(); i++) {
      inFlight.acquireUninterruptibly();
      launch(true, endNanos);
    }
    while (System.nanoTime() < endNanos) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Starts one workflow and follows it to the end; in a closed loop the next one follows. */
  private void launch(boolean again, long endNanos) {
    String id = "bench-" + runId + "-" + sequence.incrementAndGet();
    long t0 = System.nanoTime();
    outstanding.register();
    driver
        .start(
            id,
            options.pattern().workflowType,
            options
                .pattern()
                .input(options.activitySeconds(), options.activities(), options.millis()))
        .thenCompose(
            ignored -> {
              started.incrementAndGet();
              startedCounter.increment();
              return driver.completion(id);
            })
        .whenComplete(
            (ok, error) -> {
              long now = System.nanoTime();
              if (error == null) {
                if (ok) {
                  completed.incrementAndGet();
                  completedCounter.increment();
                } else {
                  failed.incrementAndGet();
                  error("workflow_not_completed");
                }
                long micros = (now - t0) / 1000;
                recorder.recordValue(Math.max(1, micros));
                latency.record(now - t0, TimeUnit.NANOSECONDS);
                lastCompletionNanos.accumulateAndGet(now, Math::max);
              } else {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                error(
                    cause instanceof BenchError
                        ? ((BenchError) cause).kind
                        : cause.getClass().getSimpleName());
              }
              inFlight.release();
              outstanding.arriveAndDeregister();
              if (again && System.nanoTime() < endNanos && inFlight.tryAcquire()) {
                launch(true, endNanos);
              }
            });
  }

  private void error(String kind) {
    errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
  }

  private int verdict(BenchReport report) {
    boolean ok = true;
    if (options.maxP99() != null) {
      boolean met = report.completed() > 0 && report.p99Ms() <= options.maxP99().toMillis();
      System.out.printf(
          "threshold --max-p99-latency %d ms: %s (p99 %.0f ms)%n",
          options.maxP99().toMillis(), met ? "met" : "NOT MET", report.p99Ms());
      ok &= met;
    }
    if (options.minThroughput() != null) {
      boolean met = report.completionsPerSecond() >= options.minThroughput();
      System.out.printf(
          "threshold --min-throughput %.1f/s: %s (%.1f completions/s)%n",
          options.minThroughput(), met ? "met" : "NOT MET", report.completionsPerSecond());
      ok &= met;
    }
    return ok ? 0 : 4;
  }
}
