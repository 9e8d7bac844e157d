package io.drainhost.deploy;

import io.drainhost.deploy.aws.ServiceRequests;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where a first release's settings come from, and what only the account knows. */
final class SourceOptions {
  @Option(
      names = "--task-definition",
      description =
          "a first release (no current version): the task definition file it starts from,"
              + " e.g. ecs/task-definition.json; required then")
  Path taskDefinition;

  @Option(
      names = "--service-settings",
      description =
          "a first release: the service settings file it starts from, e.g."
              + " ecs/service-settings.json; required then")
  Path serviceSettings;

  @Option(names = "--subnets", split = ",", description = "with no current version: subnet ids")
  List<String> subnets = List.of();

  @Option(
      names = "--security-groups",
      split = ",",
      description = "with no current version: security group ids")
  List<String> securityGroups = List.of();

  @Option(
      names = "--target-group-arn",
      description = "with no current version: the target group the service registers with")
  String targetGroupArn;

  @Option(names = "--assign-public-ip", description = "with no current version: a public IP")
  boolean assignPublicIp;

  ServiceRequests.AccountSettings account() {
    return new ServiceRequests.AccountSettings(
        subnets, securityGroups, Optional.ofNullable(targetGroupArn), assignPublicIp);
  }
}
