package io.drainhost.deploy.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code deploy} (from an image: create what is missing, then roll out) or {@code rollout}
 * (the version's service exists) asks for: one build id of one deployment made current.
 *
 * @param image the image to deploy; empty for {@code rollout}
 * @param desired the new service's task count; empty: the current version's
 * @param gateWorkflow a workflow run pinned to the new version before it gets any traffic
 * @param stepGate a workflow run pinned to the new version before every ramp step
 * @param rollbackWindow after promotion, how long the version is watched for a rollback (0: not)
 */
public record Release(
    String deployment,
    String buildId,
    Optional<String> image,
    Optional<Integer> desired,
    List<RampStep> steps,
    Optional<String> gateWorkflow,
    Optional<String> stepGate,
    FailureRule failures,
    Duration pollersTimeout,
    Duration gateTimeout,
    Duration rollbackWindow) {

  public Release {
    steps = List.copyOf(steps);
  }

  /** The version's ECS service name: readable, and unique per build id ({@link ServiceNames}). */
  public String serviceName() {
    return ServiceNames.of(deployment, buildId);
  }

  /** The gate run before any traffic: the id earlier versions of the tool used too. */
  public String onceGateId() {
    return "drainhost-gate-" + deployment + "-" + buildId;
  }

  /** The gate run before step {@code index}. */
  public String stepGateId(int index) {
    return onceGateId()
        + "-step"
        + String.format(Locale.ROOT, "%s", steps.get(index).percent()).replace(".0", "");
  }

  /** Every gate run this release may start, for the observer to read. */
  public List<String> gateIds() {
    List<String> ids = new ArrayList<>();
    if (gateWorkflow.isPresent() || stepGate.isPresent()) {
      ids.add(onceGateId());
    }
    if (stepGate.isPresent()) {
      for (int i = 0; i < steps.size(); i++) {
        ids.add(stepGateId(i));
      }
    }
    return ids;
  }

  public String version() {
    return deployment + ":" + buildId;
  }
}
