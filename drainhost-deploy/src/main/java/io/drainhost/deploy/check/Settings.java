package io.drainhost.deploy.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The settings of a deployment that a drain depends on, read from the current version's task
 * definition and service (and its target group), or from the files a first release starts from.
 * Empty where the source does not say: ECS's or the load balancer's default applies.
 *
 * @param source where the settings were read, for the findings' header
 * @param container the drainhost container's name
 * @param environment the container's environment (secrets left out)
 * @param entryPoint the task definition's entry point; empty: the image's
 * @param healthCheckCommand the container health check's command; empty: none
 * @param targetGroupPort the port the target group routes to; empty: no load balancer
 */
public record Settings(
    String source,
    String container,
    OptionalInt stopTimeout,
    Map<String, String> environment,
    boolean initProcessEnabled,
    List<String> entryPoint,
    List<String> healthCheckCommand,
    OptionalInt healthCheckStartPeriod,
    Optional<String> targetGroupHealthCheckPath,
    OptionalInt targetGroupHealthCheckInterval,
    OptionalInt targetGroupHealthyThreshold,
    OptionalInt deregistrationDelay,
    OptionalInt healthCheckGracePeriod,
    OptionalInt minimumHealthyPercent,
    boolean loadBalanced) {

  public Settings {
    environment = Map.copyOf(environment);
    entryPoint = List.copyOf(entryPoint);
    healthCheckCommand = List.copyOf(healthCheckCommand);
  }
}
