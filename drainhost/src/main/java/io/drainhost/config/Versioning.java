package io.drainhost.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Worker Versioning: with a deployment name, every worker of the host joins the Worker Deployment
 * Version {@code deploymentName}/{@code buildId}; without one, workers are unversioned.
 *
 * @param deploymentName {@code DRAINHOST_DEPLOYMENT_NAME}; empty: versioning off
 * @param buildId {@code DRAINHOST_BUILD_ID}; empty with a deployment name on ECS: read from the
 *     container's image (digest, else tag) when the host starts, not while configuring it
 * @param defaultBehavior {@code DRAINHOST_VERSIONING_BEHAVIOR}: the behaviour of workflow types
 *     without {@code @WorkflowVersioningBehavior}
 */
public record Versioning(
    Optional<String> deploymentName, Optional<String> buildId, Behavior defaultBehavior) {
  /** A Worker Deployment Version: the deployment's name and this build's id. */
  public record Version(String deploymentName, String buildId) {
    @Override
    public String toString() {
      return deploymentName + ":" + buildId;
    }
  }

  /** How a workflow run moves between versions. */
  public enum Behavior {
    /** The run moves to the current version at its next workflow task (its code must replay). */
    AUTO_UPGRADE,
    /** The run stays on the version it started on until it closes. */
    PINNED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final Versioning OFF =
      new Versioning(Optional.empty(), Optional.empty(), Behavior.AUTO_UPGRADE);

  /** The version this host joins, once both its name and its build id are known. */
  public Optional<Version> deployment() {
    return deploymentName.flatMap(n -> buildId.map(b -> new Version(n, b)));
  }

  public boolean enabled() {
    return deploymentName.isPresent();
  }

  /** A deployment name whose build id the start reads from the ECS task metadata. */
  public boolean buildIdFromTaskMetadata() {
    return deploymentName.isPresent() && buildId.isEmpty();
  }

  public Versioning withBuildId(String id) {
    return new Versioning(deploymentName, Optional.of(id), defaultBehavior);
  }

  /** What makes a deployment name or build id unusable by Temporal, one line per problem. */
  public static List<String> problems(String deploymentName, String buildId) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e :
        Map.of("DRAINHOST_DEPLOYMENT_NAME", deploymentName, "DRAINHOST_BUILD_ID", buildId)
            .entrySet()) {
      if (e.getValue().length() > 255 || e.getValue().contains(":")) {
        problems.add(
            e.getKey() + "=" + e.getValue() + ": must be at most 255 characters, without ':'");
      }
    }
    return problems;
  }
}
