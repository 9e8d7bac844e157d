package io.drainhost.deploy.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.deploy.check.Account;
import io.drainhost.deploy.check.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The settings {@code check} judges: the current version's (its task definition, service and target
 * group, as ECS and the load balancer describe them), or the files a first release starts from.
 */
public final class SettingsReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SettingsReader() {}

  public static Settings fromCurrent(
      Service service, TaskDefinitions tasks, Optional<TargetGroups> targetGroups) {
    RegisterTaskDefinitionRequest td = tasks.fromCurrent(service.taskDefinition());
    ContainerDefinition c = TaskDefinitions.drainhostContainer(td.containerDefinitions());
    Optional<TargetGroups.Health> tg =
        service.loadBalancers().stream()
            .map(lb -> lb.targetGroupArn())
            .filter(java.util.Objects::nonNull)
            .findFirst()
            .flatMap(arn -> targetGroups.map(t -> t.read(arn)));
    return new Settings(
        "the current version's service " + service.serviceName() + " and its task definition",
        c.name(),
        c.stopTimeout() == null ? OptionalInt.empty() : OptionalInt.of(c.stopTimeout()),
        environment(c),
        c.linuxParameters() != null
            && Boolean.TRUE.equals(c.linuxParameters().initProcessEnabled()),
        c.entryPoint(),
        c.healthCheck() == null ? List.of() : c.healthCheck().command(),
        c.healthCheck() == null || c.healthCheck().startPeriod() == null
            ? OptionalInt.empty()
            : OptionalInt.of(c.healthCheck().startPeriod()),
        tg.flatMap(TargetGroups.Health::path),
        tg.map(TargetGroups.Health::interval).orElse(OptionalInt.empty()),
        tg.map(TargetGroups.Health::healthyThreshold).orElse(OptionalInt.empty()),
        tg.map(TargetGroups.Health::deregistrationDelay).orElse(OptionalInt.empty()),
        service.healthCheckGracePeriodSeconds() == null
            ? OptionalInt.empty()
            : OptionalInt.of(service.healthCheckGracePeriodSeconds()),
        service.deploymentConfiguration() == null
                || service.deploymentConfiguration().minimumHealthyPercent() == null
            ? OptionalInt.empty()
            : OptionalInt.of(service.deploymentConfiguration().minimumHealthyPercent()),
        !service.loadBalancers().isEmpty());
  }

  /**
   * A first release's settings: the files', with the target group it is given read from the load
   * balancer (it is what the service registers with, so it is what is judged). Without one, the
   * service gets no load balancer.
   */
  public static Settings forFirstRelease(
      SourceFile taskDefinition,
      SourceFile serviceSettings,
      Optional<TargetGroups.Health> targetGroup) {
    Settings f = fromFiles(taskDefinition, serviceSettings);
    return new Settings(
        taskDefinition + ", " + serviceSettings + " and the target group given",
        f.container(),
        f.stopTimeout(),
        f.environment(),
        f.initProcessEnabled(),
        f.entryPoint(),
        f.healthCheckCommand(),
        f.healthCheckStartPeriod(),
        targetGroup.flatMap(TargetGroups.Health::path),
        targetGroup.map(TargetGroups.Health::interval).orElse(OptionalInt.empty()),
        targetGroup.map(TargetGroups.Health::healthyThreshold).orElse(OptionalInt.empty()),
        targetGroup.map(TargetGroups.Health::deregistrationDelay).orElse(OptionalInt.empty()),
        f.healthCheckGracePeriod(),
        f.minimumHealthyPercent(),
        targetGroup.isPresent());
  }

  /** What a first release asks of the account: the file's task, the flags' network, its roles. */
  public static Account firstReleaseAccount(
      SourceFile taskDefinition,
      SourceFile serviceSettings,
      ServiceRequests.AccountSettings flags,
      Roles roles,
      String runNamespace) {
    RegisterTaskDefinitionRequest td = TaskDefinitions.fromFile(taskDefinition);
    boolean fileLoadBalanced =
        serviceSettings.json("service settings").at("/service/loadBalancers").size() > 0;
    return new Account(
        Optional.ofNullable(td.networkModeAsString()),
        !flags.subnets().isEmpty(),
        !flags.securityGroups().isEmpty(),
        roles(td.taskRoleArn(), td.executionRoleArn(), roles),
        fileLoadBalanced && flags.targetGroupArn().isEmpty(),
        namespace(td),
        runNamespace);
  }

  /** What the current version's service has of the account, as a new version copies it. */
  public static Account currentAccount(
      Service service, TaskDefinitions tasks, Roles roles, String runNamespace) {
    RegisterTaskDefinitionRequest td = tasks.fromCurrent(service.taskDefinition());
    boolean network =
        service.networkConfiguration() != null
            && service.networkConfiguration().awsvpcConfiguration() != null;
    return new Account(
        Optional.ofNullable(td.networkModeAsString()),
        network && !service.networkConfiguration().awsvpcConfiguration().subnets().isEmpty(),
        network && !service.networkConfiguration().awsvpcConfiguration().securityGroups().isEmpty(),
        roles(td.taskRoleArn(), td.executionRoleArn(), roles),
        false,
        namespace(td),
        runNamespace);
  }

  private static Optional<String> namespace(RegisterTaskDefinitionRequest td) {
    return TaskDefinitions.namespaceOf(
        TaskDefinitions.drainhostContainer(td.containerDefinitions()));
  }

  private static List<Account.Role> roles(String taskRole, String executionRole, Roles roles) {
    List<Account.Role> found = new java.util.ArrayList<>();
    if (taskRole != null && !taskRole.isBlank()) {
      found.add(roles.check("taskDefinition.taskRoleArn", taskRole));
    }
    if (executionRole != null && !executionRole.isBlank()) {
      found.add(roles.check("taskDefinition.executionRoleArn", executionRole));
    }
    return found;
  }

  public static Settings fromFiles(SourceFile taskDefinition, SourceFile serviceSettings) {
    RegisterTaskDefinitionRequest td = TaskDefinitions.fromFile(taskDefinition);
    ContainerDefinition c = TaskDefinitions.drainhostContainer(td.containerDefinitions());
    JsonNode settings = serviceSettings.json("service settings");
    JsonNode tg = settings.path("targetGroup");
    JsonNode service = settings.path("service");
    OptionalInt delay = OptionalInt.empty();
    for (JsonNode a : tg.path("Attributes")) {
      if (a.path("Key").asText().equals("deregistration_delay.timeout_seconds")) {
        delay = OptionalInt.of(a.path("Value").asInt());
      }
    }
    return new Settings(
        taskDefinition + " and " + serviceSettings,
        c.name(),
        c.stopTimeout() == null ? OptionalInt.empty() : OptionalInt.of(c.stopTimeout()),
        environment(c),
        c.linuxParameters() != null
            && Boolean.TRUE.equals(c.linuxParameters().initProcessEnabled()),
        c.entryPoint(),
        c.healthCheck() == null ? List.of() : c.healthCheck().command(),
        c.healthCheck() == null || c.healthCheck().startPeriod() == null
            ? OptionalInt.empty()
            : OptionalInt.of(c.healthCheck().startPeriod()),
        tg.has("HealthCheckPath")
            ? Optional.of(tg.path("HealthCheckPath").asText())
            : Optional.empty(),
        optionalInt(tg, "HealthCheckIntervalSeconds"),
        optionalInt(tg, "HealthyThresholdCount"),
        delay,
        optionalInt(service, "healthCheckGracePeriodSeconds"),
        optionalInt(service.path("deploymentConfiguration"), "minimumHealthyPercent"),
        service.path("loadBalancers").size() > 0);
  }

  private static OptionalInt optionalInt(JsonNode node, String field) {
    return node.has(field) ? OptionalInt.of(node.path(field).asInt()) : OptionalInt.empty();
  }

  private static Map<String, String> environment(ContainerDefinition c) {
    Map<String, String> env = new LinkedHashMap<>();
    c.environment().forEach(e -> env.put(e.name(), e.value()));
    return env;
  }
}
