package io.drainhost.deploy.aws;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.PutScalingPolicyRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;

/**
 * The Application Auto Scaling of a version's ECS service: its scalable target ({@code
 * ecs:service:DesiredCount}) and policies. A new version gets a copy of the current version's,
 * whose metric dimensions name the new version where they named the old one (its service name or
 * build id). A version being retired loses its target (and so its policies) before its scale to 0:
 * autoscaling would put its tasks back.
 */
public final class Scaling {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

  private final ApplicationAutoScalingClient client;
  private final String clusterName;

  public Scaling(ApplicationAutoScalingClient client, String clusterName) {
    this.client = client;
    this.clusterName = clusterName;
  }

  public String resourceId(String service) {
    return "service/" + clusterName + "/" + service;
  }

  /** The services among these that have a scalable target. */
  public Set<String> registered(Set<String> services) {
    Set<String> found = new HashSet<>();
    List<String> ids = services.stream().map(this::resourceId).toList();
    for (int i = 0; i < ids.size(); i += 50) {
      List<String> page = ids.subList(i, Math.min(ids.size(), i + 50));
      for (ScalableTarget t :
          client
              .describeScalableTargets(
                  b -> b.serviceNamespace(ServiceNamespace.ECS).resourceIds(page))
              .scalableTargets()) {
        found.add(t.resourceId().substring(t.resourceId().lastIndexOf('/') + 1));
      }
    }
    return found;
  }

  /**
   * Registers {@code to}'s target with {@code from}'s capacities and puts {@code from}'s policies
   * on it, with each dimension value that names the old version ({@code renames}' keys) naming the
   * new one.
   */
  public void copy(String from, String to, Map<String, String> renames) {
    for (ScalableTarget t :
        client
            .describeScalableTargets(
                b -> b.serviceNamespace(ServiceNamespace.ECS).resourceIds(resourceId(from)))
            .scalableTargets()) {
      client.registerScalableTarget(
          b ->
              b.serviceNamespace(ServiceNamespace.ECS)
                  .resourceId(resourceId(to))
                  .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                  .minCapacity(t.minCapacity())
                  .maxCapacity(t.maxCapacity())
                  .suspendedState(t.suspendedState()));
    }
    for (ScalingPolicy p :
        client
            .describeScalingPolicies(
                b -> b.serviceNamespace(ServiceNamespace.ECS).resourceId(resourceId(from)))
            .scalingPolicies()) {
      PutScalingPolicyRequest.Builder put =
          PutScalingPolicyRequest.builder()
              .policyName(p.policyName())
              .serviceNamespace(ServiceNamespace.ECS)
              .resourceId(resourceId(to))
              .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
              .policyType(p.policyType());
      if (p.targetTrackingScalingPolicyConfiguration() != null) {
        put.targetTrackingScalingPolicyConfiguration(
            renamed(
                p.targetTrackingScalingPolicyConfiguration().toBuilder(),
                TargetTrackingScalingPolicyConfiguration.serializableBuilderClass(),
                renames));
      }
      if (p.stepScalingPolicyConfiguration() != null) {
        put.stepScalingPolicyConfiguration(p.stepScalingPolicyConfiguration());
      }
      client.putScalingPolicy(put.build());
    }
  }

  /** Deregisters the service's target; its policies go with it. Nothing when it has none. */
  public void deregister(String service) {
    if (registered(Set.of(service)).isEmpty()) {
      return;
    }
    client.deregisterScalableTarget(
        b ->
            b.serviceNamespace(ServiceNamespace.ECS)
                .resourceId(resourceId(service))
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT));
  }

  /** The configuration through its JSON, with every dimension value renamed as asked. */
  private static <T, B extends software.amazon.awssdk.utils.builder.SdkBuilder<B, T>> T renamed(
      Object builder, Class<? extends B> builderClass, Map<String, String> renames) {
    JsonNode tree = JSON.valueToTree(builder);
    rename(tree, renames);
    try {
      return JSON.treeToValue(tree, builderClass).build();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot copy a scaling policy: " + e.getOriginalMessage(), e);
    }
  }

  /** Renames the values of every {@code dimensions} entry, at any depth. */
  private static void rename(JsonNode node, Map<String, String> renames) {
    if (node instanceof ObjectNode o) {
      o.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equalsIgnoreCase("dimensions") && e.getValue().isArray()) {
                  for (JsonNode d : e.getValue()) {
                    JsonNode value = d.get("value");
                    if (value != null && renames.containsKey(value.asText())) {
                      ((ObjectNode) d).set("value", TextNode.valueOf(renames.get(value.asText())));
                    }
                  }
                } else {
                  rename(e.getValue(), renames);
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> rename(n, renames));
    }
  }
}
