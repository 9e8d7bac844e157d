package io.drainhost;

import io.drainhost.config.HostConfig;
import io.drainhost.lifecycle.ExitCode;
import io.drainhost.metrics.Metrics;
import io.drainhost.replay.ReplayCheck;
import io.drainhost.replay.ReplayReport;
import io.drainhost.replay.ReplayTable;
import io.drainhost.temporal.TemporalConnection;
import io.drainhost.temporal.TemporalThrottling;
import io.drainhost.temporal.WorkerHost;
import io.drainhost.temporal.WorkerSpec;
import io.drainhost.tracking.ActivityAttempts;
import io.drainhost.tracking.ActivityDurations;
import io.drainhost.tracking.InflightRegistry;
import io.drainhost.workflows.WorkflowTypes;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.common.interceptors.WorkerInterceptor;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The replay gate's check without a host: what a pipeline runs before an image ships. Same workflow
 * registrations, same interceptors, same check; prints a table and returns 0 (every sampled run
 * replayed), 4 (runs this build cannot take over) or 1 (could not check).
 */
final class StandaloneReplayCheck {
  private StandaloneReplayCheck() {}

  /** The check of this build's workflow types, the host's gate and this command alike. */
  static ReplayCheck check(
      HostConfig config,
      TemporalConnection connection,
      WorkflowTypes workflowTypes,
      WorkerHost.ReplayWorkers replayWorkers,
      java.time.Duration timeout,
      java.util.Map<String, Long> recorded) {
    return new ReplayCheck(
        connection.client(),
        !connection.isJavaTestServer(),
        workflowTypes.namesByTaskQueue(),
        replayWorkers::of,
        config.replay().sample(),
        timeout,
        config.versioning().deployment().map(Object::toString),
        recorded);
  }

  static ExitCode run(
      HostConfig config,
      List<WorkerSpec> workerSpecs,
      WorkflowTypes workflowTypes,
      List<WorkerInterceptor> interceptors,
      PrintStream out) {
    if (config.temporal().embedded()) {
      out.println(
          "replay check: could not check: no Temporal to check against (set TEMPORAL_ADDRESS)");
      return ExitCode.FAILED;
    }
    if (config.replay().sample() == 0) {
      out.println("replay check: could not check: DRAINHOST_REPLAY_SAMPLE=0 samples no run");
      return ExitCode.FAILED;
    }
    MeterRegistry metrics = Metrics.newRegistry();
    try (TemporalThrottling throttling = new TemporalThrottling(metrics);
        TemporalConnection connection =
            TemporalConnection.open(
                config.temporal(),
                metrics,
                ManagementFactory.getRuntimeMXBean().getName(),
                config.requestTimeout(),
                List.of(throttling.interceptor()))) {
      try {
        connection.stubs().healthCheck();
      } catch (RuntimeException e) {
        out.println(
            "replay check: could not check: Temporal at "
                + config.temporal().address().orElse("?")
                + " does not answer: "
                + e.getMessage());
        return ExitCode.FAILED;
      }
      WorkerHost workers =
          new WorkerHost(
              config,
              connection,
              workerSpecs,
              new InflightRegistry(),
              new ActivityAttempts(),
              new ActivityDurations(),
              () -> false,
              interceptors);
      ReplayReport report;
      try (WorkerHost.ReplayWorkers replayWorkers = workers.replayWorkers()) {
        report =
            check(
                    config,
                    connection,
                    workflowTypes,
                    replayWorkers,
                    config.replay().timeout(),
                    java.util.Map.of())
                .run();
      }
      out.print(ReplayTable.format(report));
      return switch (report.state()) {
        case PASSED -> ExitCode.CLEAN;
        case FAILED -> ExitCode.REPLAY_REFUSED;
        default -> ExitCode.FAILED;
      };
    }
  }
}
