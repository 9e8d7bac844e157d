package io.drainhost.versioning;

import io.drainhost.config.Versioning;
import io.drainhost.metrics.MeterNames;
import io.drainhost.threads.DaemonThreads;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.deployment.v1.WorkerDeploymentVersionInfo;
import io.temporal.api.enums.v1.WorkerDeploymentVersionStatus;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this host's Worker Deployment Version from Temporal in the background ({@code
 * DescribeWorkerDeploymentVersion}), never on a probe's thread: {@code /health} and the metric show
 * the last answer, {@code unknown} while Temporal does not give one.
 */
public final class VersionWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VersionWatcher.class);
  private static final List<String> STATUSES =
      List.of("current", "ramping", "draining", "drained", "inactive", VersionStatus.UNKNOWN);

  private final Versioning.Version version;
  private final Duration interval;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("drainhost-version"));
  private volatile VersionStatus status;
  private String lastLogged;

  public VersionWatcher(Versioning.Version version, Duration interval, MeterRegistry metrics) {
    this.version = version;
    this.interval = interval;
    this.status = new VersionStatus(version, VersionStatus.UNKNOWN, 0);
    for (String s : STATUSES) {
      Gauge.builder(MeterNames.DEPLOYMENT_VERSION, this, w -> w.status.status().equals(s) ? 1 : 0)
          .tag("status", s)
          .tag("deployment", version.deploymentName())
          .tag("build_id", version.buildId())
          .description(
              "1 for the status of this host's Worker Deployment Version, 0 for the others")
          .register(metrics);
    }
  }

  /**
   * Describes the version every interval, except while {@code paused} (the drain spends its calls
   * on hand-offs; the last answer stays shown).
   */
  public void start(WorkflowServiceStubs stubs, String namespace, BooleanSupplier paused) {
    scheduler.scheduleWithFixedDelay(
        () -> {
          if (!paused.getAsBoolean()) {
            refresh(stubs, namespace);
          }
        },
        0,
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  public VersionStatus status() {
    return status;
  }

  private void refresh(WorkflowServiceStubs stubs, String namespace) {
    VersionStatus next;
    try {
      WorkerDeploymentVersionInfo info =
          VersionDescription.of(stubs, namespace, version, false).getWorkerDeploymentVersionInfo();
      next = new VersionStatus(version, wireName(info.getStatus()), info.getRampPercentage());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
        // Temporal limits describes per deployment (each host of it asks): a refused one says
        // nothing new about the version, so the last answer stays shown rather than "unknown".
        return;
      }
      // Before this build's first poll the server has no such version yet.
      next =
          new VersionStatus(
              version,
              e.getStatus().getCode() == Status.Code.NOT_FOUND ? "inactive" : VersionStatus.UNKNOWN,
              0);
    } catch (RuntimeException e) {
      next = new VersionStatus(version, VersionStatus.UNKNOWN, 0);
    }
    status = next;
    if (!next.status().equals(lastLogged)) {
      lastLogged = next.status();
      log.info(
          "worker deployment version status: version={} status={} rampPercentage={}",
          version,
          next.status(),
          next.rampPercentage());
    }
  }

  static String wireName(WorkerDeploymentVersionStatus s) {
    return switch (s) {
      case WORKER_DEPLOYMENT_VERSION_STATUS_CURRENT,
          WORKER_DEPLOYMENT_VERSION_STATUS_RAMPING,
          WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING,
          WORKER_DEPLOYMENT_VERSION_STATUS_DRAINED,
          WORKER_DEPLOYMENT_VERSION_STATUS_INACTIVE ->
          s.name().substring("WORKER_DEPLOYMENT_VERSION_STATUS_".length()).toLowerCase(Locale.ROOT);
      // Created by a poll, never current or ramping: no work has come to it yet.
      case WORKER_DEPLOYMENT_VERSION_STATUS_CREATED -> "inactive";
      default -> VersionStatus.UNKNOWN;
    };
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
