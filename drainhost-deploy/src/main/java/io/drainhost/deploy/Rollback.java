package io.drainhost.deploy;

import io.drainhost.deploy.TemporalDeployments.Snapshot;
import io.grpc.StatusRuntimeException;
import io.temporal.api.deployment.v1.WorkerDeploymentInfo.WorkerDeploymentVersionSummary;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;

/**
 * {@code rollback}: the version that was current before the current one becomes current again, and
 * any ramp ends. It must still have pollers: work routed to a version nobody polls would wait.
 */
final class Rollback {
  private final TemporalDeployments temporal;
  private final PrintStream out;

  Rollback(TemporalDeployments temporal, PrintStream out) {
    this.temporal = temporal;
    this.out = out;
  }

  void run() {
    Snapshot snap =
        temporal
            .describe()
            .orElseThrow(() -> new DeployException(DeployException.USAGE, "no such deployment"));
    String current =
        snap.current()
            .orElseThrow(
                () ->
                    new DeployException(DeployException.USAGE, "no current version to roll back"));
    String previous =
        snap.info().getVersionSummariesList().stream()
            .filter(v -> !v.getDeploymentVersion().getBuildId().equals(current))
            .filter(v -> v.getLastCurrentTime().getSeconds() > 0)
            .max(Comparator.comparingLong(v -> v.getLastCurrentTime().getSeconds()))
            .map(WorkerDeploymentVersionSummary::getDeploymentVersion)
            .map(v -> v.getBuildId())
            .orElseThrow(
                () ->
                    new DeployException(
                        DeployException.REFUSED,
                        "no version was current before " + current + ": nothing to roll back to"));
    if (!temporal.hasPollers(previous, Duration.ofMinutes(2))) {
      throw new DeployException(
          DeployException.REFUSED,
          "the previous version "
              + previous
              + " has no pollers: scale its ECS service up first, then roll back");
    }
    try {
      if (snap.ramping().isPresent()) {
        temporal.setRamping("", 0, snap.conflictToken());
        snap = temporal.describe().orElseThrow();
      }
      temporal.setCurrent(previous, snap.conflictToken());
    } catch (StatusRuntimeException e) {
      throw new DeployException(
          DeployException.UNAVAILABLE,
          "Temporal refused the change ("
              + e.getStatus().getCode()
              + "): the deployment changed meanwhile; re-run");
    }
    out.println("rollback: " + previous + " is current again (" + current + " was)");
  }
}
