package io.drainhost.deploy;

import com.google.protobuf.Timestamp;
import io.drainhost.deploy.TemporalDeployments.Snapshot;
import io.grpc.StatusRuntimeException;
import io.temporal.api.deployment.v1.WorkerDeploymentInfo.WorkerDeploymentVersionSummary;
import io.temporal.api.enums.v1.VersionDrainageStatus;
import io.temporal.api.enums.v1.WorkerDeploymentVersionStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sunset}: retires old versions. A version that is drained (or inactive and never current)
 * for longer than {@code scaleDownAfter} gets its ECS service scaled to 0; once that long past
 * {@code deleteAfter}, its service and its Temporal version are deleted. Never the current or the
 * ramping version, never a version with open pinned runs. Safe to run on a schedule: each run acts
 * on what Temporal and ECS say now.
 */
final class Sunset {
  private final TemporalDeployments temporal;
  private final EcsServices ecs;
  private final Duration scaleDownAfter;
  private final Duration deleteAfter;
  private final boolean dryRun;
  private final PrintStream out;

  Sunset(
      TemporalDeployments temporal,
      EcsServices ecs,
      Duration scaleDownAfter,
      Duration deleteAfter,
      boolean dryRun,
      PrintStream out) {
    this.temporal = temporal;
    this.ecs = ecs;
    this.scaleDownAfter = scaleDownAfter;
    this.deleteAfter = deleteAfter;
    this.dryRun = dryRun;
    this.out = out;
  }

  void run() {
    Optional<Snapshot> snap = temporal.describe();
    if (snap.isEmpty()) {
      out.println("sunset: the deployment does not exist yet; nothing to do");
      return;
    }
    Map<String, EcsServices.VersionService> services = ecs.byBuildId();
    Instant now = Instant.now();
    String prefix = dryRun ? "sunset (dry run): would " : "sunset: ";
    for (WorkerDeploymentVersionSummary v : snap.get().info().getVersionSummariesList()) {
      String buildId = v.getDeploymentVersion().getBuildId();
      if (snap.get().current().filter(buildId::equals).isPresent()
          || snap.get().ramping().filter(buildId::equals).isPresent()) {
        continue;
      }
      Optional<Instant> retiredSince = retiredSince(v);
      if (retiredSince.isEmpty()) {
        out.println("sunset: " + buildId + " kept: " + why(v));
        continue;
      }
      Duration retired = Duration.between(retiredSince.get(), now);
      if (retired.compareTo(scaleDownAfter) < 0) {
        out.println(
            "sunset: "
                + buildId
                + " kept: retired "
                + retired.toSeconds()
                + " s ago, scaled down after "
                + scaleDownAfter.toSeconds()
                + " s");
        continue;
      }
      long pinned = temporal.openPinnedRuns(buildId);
      if (pinned > 0) {
        out.println("sunset: " + buildId + " kept: " + pinned + " open pinned runs");
        continue;
      }
      EcsServices.VersionService service = services.get(buildId);
      boolean delete = retired.compareTo(deleteAfter) >= 0;
      if (service != null && service.desired() > 0) {
        out.println(prefix + "scale " + service.name() + " (" + buildId + ") to 0");
        if (!dryRun) {
          ecs.scaleToZero(service);
        }
        // Its tasks drain now; deletion waits for a later run.
        continue;
      }
      if (!delete) {
        continue;
      }
      if (service != null) {
        out.println(prefix + "delete ECS service " + service.name() + " (" + buildId + ")");
        if (!dryRun) {
          ecs.delete(service);
        }
      }
      out.println(prefix + "delete version " + buildId + " from Temporal");
      if (!dryRun) {
        try {
          temporal.deleteVersion(buildId);
        } catch (StatusRuntimeException e) {
          // Temporal keeps a version while pollers of it were seen lately: the next run deletes it.
          out.println(
              "sunset: version "
                  + buildId
                  + " kept by Temporal for now: "
                  + e.getStatus().getDescription());
        }
      }
    }
  }

  /**
   * Since when the version has been out of use: drained (since its drainage last changed), or
   * inactive and never current (since it was created).
   */
  private static Optional<Instant> retiredSince(WorkerDeploymentVersionSummary v) {
    if (v.getDrainageStatus() == VersionDrainageStatus.VERSION_DRAINAGE_STATUS_DRAINED
        || v.getStatus()
            == WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINED) {
      Timestamp t = v.getDrainageInfo().getLastChangedTime();
      return Optional.of(t.getSeconds() == 0 ? instant(v.getRoutingUpdateTime()) : instant(t));
    }
    boolean neverCurrent = v.getLastCurrentTime().getSeconds() == 0;
    if (neverCurrent
        && (v.getStatus() == WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_INACTIVE
            || v.getStatus()
                == WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_CREATED)) {
      return Optional.of(instant(v.getCreateTime()));
    }
    return Optional.empty();
  }

  private static String why(WorkerDeploymentVersionSummary v) {
    return switch (v.getStatus()) {
      case WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING -> "draining (pinned runs still open)";
      case WORKER_DEPLOYMENT_VERSION_STATUS_INACTIVE ->
          "inactive but was current once: drainage unknown";
      default -> v.getStatus().name();
    };
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
