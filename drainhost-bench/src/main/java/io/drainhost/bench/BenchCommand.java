package io.drainhost.bench;

import io.drainhost.DrainHost;
import io.drainhost.config.ConfigLoader;
import io.drainhost.samples.Samples;
import io.drainhost.time.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Wiring of the {@code bench} subcommand: validated options, then the right driver. */
public final class BenchCommand {
  private BenchCommand() {}

  /** Validates the raw options; throws {@link IllegalArgumentException} naming the bad one. */
  public static WorkflowBenchmark.Options options(
      String pattern,
      double rate,
      String duration,
      String rampUp,
      int concurrency,
      int activitySeconds,
      int activities,
      int millis,
      String maxP99,
      Double minThroughput,
      Path json,
      String completionTimeout,
      int metricsPort) {
    if (rate < 0) {
      throw new IllegalArgumentException("--rate must be 0 (closed loop) or more");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("--concurrency must be at least 1");
    }
    return new WorkflowBenchmark.Options(
        BenchPattern.of(pattern),
        rate,
        duration("--duration", duration),
        duration("--ramp-up", rampUp),
        concurrency,
        activitySeconds,
        activities,
        millis,
        maxP99 == null ? null : duration("--max-p99-latency", maxP99),
        minThroughput,
        json,
        duration("--completion-timeout", completionTimeout),
        metricsPort);
  }

  private static Duration duration(String option, String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + "=" + value + ": " + e.getMessage());
    }
  }

  /**
   * Runs against {@code target} (HTTP), {@code temporal} (direct), or a host started in this JVM.
   */
  public static int run(
      WorkflowBenchmark.Options options, String target, String temporal, String taskQueue) {
    if (target != null) {
      return WorkflowBenchmark.run(options, new HttpBenchDriver(URI.create(target)));
    }
    if (temporal != null) {
      return WorkflowBenchmark.run(options, new TemporalBenchDriver(temporal, taskQueue));
    }
    System.out.println(
        "no --target or --temporal: benchmarking a host in this JVM with the embedded Temporal server");
    DrainHost host =
        DrainHost.builder()
            .config(ConfigLoader.load(Map.of("DRAINHOST_PORT", "0", "DRAINHOST_BIND", "127.0.0.1")))
            .registerWorkflowImplementationTypes(Samples.workflowTypes())
            .registerActivitiesImplementations(Samples.activities())
            .build()
            .start();
    try {
      return WorkflowBenchmark.run(
          options, new HttpBenchDriver(URI.create("http://127.0.0.1:" + host.port())));
    } finally {
      host.drain("bench finished");
      host.awaitExit();
    }
  }
}
