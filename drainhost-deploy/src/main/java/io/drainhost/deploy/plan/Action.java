package io.drainhost.deploy.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Optional;

/**
 * One change a plan makes, with the reason the planner chose it. The actor carries them out in the
 * order of the plan; {@code --dry-run} prints them instead. A release workflow records them in its
 * history, so each names its kind in JSON.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "action")
@JsonSubTypes({
  @JsonSubTypes.Type(Action.RegisterTaskDefinition.class),
  @JsonSubTypes.Type(Action.CreateService.class),
  @JsonSubTypes.Type(Action.CopyScaling.class),
  @JsonSubTypes.Type(Action.DeregisterScaling.class),
  @JsonSubTypes.Type(Action.ScaleService.class),
  @JsonSubTypes.Type(Action.DeleteService.class),
  @JsonSubTypes.Type(Action.StartGate.class),
  @JsonSubTypes.Type(Action.TerminateGate.class),
  @JsonSubTypes.Type(Action.SetRamping.class),
  @JsonSubTypes.Type(Action.SetCurrent.class),
  @JsonSubTypes.Type(Action.DeleteVersion.class)
})
public sealed interface Action {
  /** Why the planner chose this action: printed beside it. */
  String reason();

  /** What the action does, in a few words. */
  String describe();

  /**
   * The build whose work this action may stop (a scale to 0, a deletion, autoscaling removed): the
   * actor proves it idle again just before it runs. Empty for the rest.
   */
  default Optional<String> stops() {
    return Optional.empty();
  }

  /**
   * Registers the version's task definition: the source's (the current version's, else the file),
   * with only the image and the version's environment changed.
   */
  record RegisterTaskDefinition(String buildId, String image, String reason) implements Action {
    @Override
    public String describe() {
      return "register a task definition for " + buildId + " with image " + image;
    }
  }

  /**
   * Creates the version's service from the source (the current version's service, else the file and
   * flags), with the task definition just registered, tagged with the deployment and build.
   */
  record CreateService(String name, String buildId, Optional<Integer> desired, String reason)
      implements Action {
    @Override
    public String describe() {
      return "create ECS service "
          + name
          + " for "
          + buildId
          + desired.map(d -> " with " + d + " task(s)").orElse(" with the current version's count");
    }
  }

  /**
   * Copies the current version's autoscaling target and policies to this version's service; the
   * policies' metric dimensions that name the current version (its service, its build id) name this
   * one.
   */
  record CopyScaling(
      String fromService, String fromBuildId, String toService, String toBuildId, String reason)
      implements Action {
    @Override
    public String describe() {
      return "copy autoscaling of " + fromService + " to " + toService;
    }
  }

  /**
   * Removes the service's autoscaling target (and so its policies): before a scale to 0, or
   * autoscaling puts the tasks back.
   */
  record DeregisterScaling(String service, String buildId, String reason) implements Action {
    @Override
    public String describe() {
      return "deregister autoscaling of " + service;
    }

    @Override
    public Optional<String> stops() {
      return Optional.of(buildId);
    }
  }

  record ScaleService(String service, String buildId, int desired, String reason)
      implements Action {
    @Override
    public String describe() {
      return "scale ECS service " + service + " to " + desired;
    }

    @Override
    public Optional<String> stops() {
      return desired == 0 ? Optional.of(buildId) : Optional.empty();
    }
  }

  record DeleteService(String service, String buildId, String reason) implements Action {
    @Override
    public String describe() {
      return "delete ECS service " + service;
    }

    @Override
    public Optional<String> stops() {
      return Optional.of(buildId);
    }
  }

  /** Starts a gate run pinned to the version: it must complete before the next step. */
  record StartGate(String workflowId, String workflowType, String buildId, String reason)
      implements Action {
    @Override
    public String describe() {
      return "start gate " + workflowId + " (" + workflowType + ") pinned to " + buildId;
    }
  }

  record TerminateGate(String workflowId, String reason) implements Action {
    @Override
    public String describe() {
      return "terminate gate " + workflowId;
    }
  }

  /** Ramps the version to a share of new work; an empty build id with 0 ends any ramp. */
  record SetRamping(String buildId, float percent, String reason) implements Action {
    @Override
    public String describe() {
      return buildId.isEmpty()
          ? "end the ramp (no version ramps)"
          : "ramp " + buildId + " to " + percent + "%";
    }
  }

  record SetCurrent(String buildId, String reason) implements Action {
    @Override
    public String describe() {
      return "make " + buildId + " current";
    }
  }

  record DeleteVersion(String buildId, String reason) implements Action {
    @Override
    public String describe() {
      return "delete version " + buildId + " from Temporal";
    }

    @Override
    public Optional<String> stops() {
      return Optional.of(buildId);
    }
  }
}
