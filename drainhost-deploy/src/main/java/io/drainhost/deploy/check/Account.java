package io.drainhost.deploy.check;

import java.util.List;
import java.util.Optional;

/**
 * What a release needs of the account besides its settings, read from the real resources: a network
 * for an awsvpc task, the roles its task definition names, the load balancer it was given. The same
 * for a first release (files and flags) as for every later one (the current version's).
 *
 * @param networkMode the task definition's network mode (ECS's default, bridge, when empty)
 * @param networkConfigured whether the service gets subnets (and security groups)
 * @param droppedLoadBalancer the settings name a load balancer that the service would not get (no
 *     target group given)
 * @param tasksNamespace the TEMPORAL_NAMESPACE the task definition gives its tasks, if it sets one
 * @param runNamespace the namespace this run watches the release in
 */
public record Account(
    Optional<String> networkMode,
    boolean networkConfigured,
    boolean securityGroupsGiven,
    List<Role> roles,
    boolean droppedLoadBalancer,
    Optional<String> tasksNamespace,
    String runNamespace) {

  public Account {
    roles = List.copyOf(roles);
  }

  /**
   * A role the task definition names.
   *
   * @param problem why it cannot be used (it does not exist, or could not be read); empty: it
   *     exists
   */
  public record Role(String field, String arn, Optional<String> problem) {}
}
