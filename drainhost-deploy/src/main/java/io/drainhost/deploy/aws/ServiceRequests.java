package io.drainhost.deploy.aws;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * A version's service, made from the current version's (every setting copied: network, load
 * balancers, capacity, deployment configuration, grace period, tag propagation …), or for a first
 * release from {@code ecs/service-settings.json} and the flags for what only the account knows
 * (subnets, security groups, target group).
 */
public final class ServiceRequests {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private ServiceRequests() {}

  /** What a first release needs that no file in the repository can know. */
  public record AccountSettings(
      List<String> subnets,
      List<String> securityGroups,
      Optional<String> targetGroupArn,
      boolean assignPublicIp) {}

  /** A service like {@code current}, with its own name, task definition, count and tags. */
  public static CreateServiceRequest likeCurrent(
      Service current,
      String cluster,
      String name,
      String taskDefinitionArn,
      Optional<Integer> desired,
      List<Tag> versionTags) {
    List<Tag> tags = new ArrayList<>();
    for (Tag t : current.tags()) {
      if (!t.key().equals(EcsServices.DEPLOYMENT_TAG)
          && !t.key().equals(EcsServices.BUILD_ID_TAG)) {
        tags.add(t);
      }
    }
    tags.addAll(versionTags);
    CreateServiceRequest.Builder b =
        CreateServiceRequest.builder()
            .cluster(cluster)
            .serviceName(name)
            .taskDefinition(taskDefinitionArn)
            .desiredCount(desired.orElse(current.desiredCount()))
            .loadBalancers(current.loadBalancers())
            .serviceRegistries(current.serviceRegistries())
            .platformVersion(current.platformVersion())
            .deploymentConfiguration(current.deploymentConfiguration())
            .placementConstraints(current.placementConstraints())
            .placementStrategy(current.placementStrategy())
            .networkConfiguration(current.networkConfiguration())
            .healthCheckGracePeriodSeconds(current.healthCheckGracePeriodSeconds())
            .schedulingStrategy(current.schedulingStrategy())
            .deploymentController(current.deploymentController())
            .enableECSManagedTags(current.enableECSManagedTags())
            .propagateTags(current.propagateTags())
            .enableExecuteCommand(current.enableExecuteCommand())
            .availabilityZoneRebalancing(current.availabilityZoneRebalancing())
            .tags(tags);
    if (current.hasCapacityProviderStrategy() && !current.capacityProviderStrategy().isEmpty()) {
      b.capacityProviderStrategy(current.capacityProviderStrategy());
    } else {
      b.launchType(current.launchType());
    }
    return b.build();
  }

  /**
   * A first service from the settings file's {@code service} object (what {@code aws ecs
   * create-service --cli-input-json} takes), with the account's settings over it.
   */
  public static CreateServiceRequest fromFile(
      SourceFile settingsFile,
      AccountSettings account,
      String cluster,
      String name,
      String taskDefinitionArn,
      Optional<Integer> desired,
      List<Tag> versionTags) {
    CreateServiceRequest fromFile;
    try {
      JsonNode service = settingsFile.json("service settings").path("service");
      fromFile = JSON.treeToValue(service, CreateServiceRequest.serializableBuilderClass()).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the service settings file " + settingsFile, e);
    }
    CreateServiceRequest.Builder b =
        fromFile.toBuilder()
            .cluster(cluster)
            .serviceName(name)
            .taskDefinition(taskDefinitionArn)
            .tags(versionTags);
    desired.ifPresent(b::desiredCount);
    if (!account.subnets().isEmpty()) {
      b.networkConfiguration(
          NetworkConfiguration.builder()
              .awsvpcConfiguration(
                  AwsVpcConfiguration.builder()
                      .subnets(account.subnets())
                      .securityGroups(account.securityGroups())
                      .assignPublicIp(
                          account.assignPublicIp()
                              ? AssignPublicIp.ENABLED
                              : AssignPublicIp.DISABLED)
                      .build())
              .build());
    }
    if (account.targetGroupArn().isPresent()) {
      List<LoadBalancer> lbs = new ArrayList<>();
      for (LoadBalancer lb : fromFile.loadBalancers()) {
        lbs.add(lb.toBuilder().targetGroupArn(account.targetGroupArn().get()).build());
      }
      b.loadBalancers(lbs);
    } else {
      // A load balancer entry without its target group is no load balancer: ECS refuses it.
      b.loadBalancers(
          fromFile.loadBalancers().stream().filter(lb -> lb.targetGroupArn() != null).toList());
    }
    return b.build();
  }
}
