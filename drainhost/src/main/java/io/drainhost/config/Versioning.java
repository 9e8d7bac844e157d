package io.drainhost.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Worker Versioning: with a deployment name, every worker of the host joins the Worker Deployment
 * Version {@code deploymentName}/{@code buildId}; without one, workers are unversioned.
 *
 * @param deployment {@code DRAINHOST_DEPLOYMENT_NAME} and the build id ({@code DRAINHOST_BUILD_ID},
 *     or derived from the ECS container's image); empty: versioning off
 * @param defaultBehavior {@code DRAINHOST_VERSIONING_BEHAVIOR}: the behaviour of workflow types
 *     without {@code @WorkflowVersioningBehavior}
 */
public record Versioning(Optional<Version> deployment, Behavior defaultBehavior) {
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

  public static final Versioning OFF = new Versioning(Optional.empty(), Behavior.AUTO_UPGRADE);

  public boolean enabled() {
    return deployment.isPresent();
  }
}
