package io.drainhost.deploy.aws;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * A version's task definition: a new revision of the current version's (or, for a first release, of
 * the file's), in which only the drainhost container's image and its {@code
 * DRAINHOST_DEPLOYMENT_NAME} / {@code DRAINHOST_BUILD_ID} change.
 */
public final class TaskDefinitions {
  public static final String DEPLOYMENT_VARIABLE = "DRAINHOST_DEPLOYMENT_NAME";
  public static final String BUILD_ID_VARIABLE = "DRAINHOST_BUILD_ID";

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final EcsClient ecs;

  /** A task definition's revision never changes: read once per run. */
  private final java.util.Map<String, DescribeTaskDefinitionResponse> described =
      new java.util.concurrent.ConcurrentHashMap<>();

  public TaskDefinitions(EcsClient ecs) {
    this.ecs = ecs;
  }

  /**
   * What a version's service runs, in the terms identity is checked on: the drainhost container's
   * image, and the namespace its environment sets (empty when it sets none).
   */
  public record Runs(String image, java.util.Optional<String> namespace) {}

  public Runs runs(String arn) {
    ContainerDefinition c =
        drainhostContainer(describe(arn).taskDefinition().containerDefinitions());
    return new Runs(c.image(), namespaceOf(c));
  }

  /** The TEMPORAL_NAMESPACE the container's environment sets; empty when it sets none. */
  public static java.util.Optional<String> namespaceOf(ContainerDefinition c) {
    return c.environment().stream()
        .filter(e -> "TEMPORAL_NAMESPACE".equals(e.name()))
        .map(KeyValuePair::value)
        .findFirst();
  }

  /** The task definition (with its tags) a service runs. */
  public DescribeTaskDefinitionResponse describe(String arn) {
    return described.computeIfAbsent(
        arn,
        a ->
            ecs.describeTaskDefinition(b -> b.taskDefinition(a).include(TaskDefinitionField.TAGS)));
  }

  /** A registration of the current version's task definition, as a request to change. */
  public RegisterTaskDefinitionRequest fromCurrent(String arn) {
    DescribeTaskDefinitionResponse d = describe(arn);
    TaskDefinition t = d.taskDefinition();
    return RegisterTaskDefinitionRequest.builder()
        .family(t.family())
        .taskRoleArn(t.taskRoleArn())
        .executionRoleArn(t.executionRoleArn())
        .networkMode(t.networkMode())
        .containerDefinitions(t.containerDefinitions())
        .volumes(t.volumes())
        .placementConstraints(
            t.placementConstraints().stream()
                .map(
                    p ->
                        software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraint
                            .builder()
                            .type(p.type())
                            .expression(p.expression())
                            .build())
                .toList())
        .requiresCompatibilities(t.requiresCompatibilities())
        .cpu(t.cpu())
        .memory(t.memory())
        .pidMode(t.pidMode())
        .ipcMode(t.ipcMode())
        .proxyConfiguration(t.proxyConfiguration())
        .inferenceAccelerators(t.inferenceAccelerators())
        .ephemeralStorage(t.ephemeralStorage())
        .runtimePlatform(t.runtimePlatform())
        .tags(d.tags().isEmpty() ? null : d.tags())
        .build();
  }

  /**
   * A registration of the file's task definition ({@code ecs/task-definition.json}: what {@code aws
   * ecs register-task-definition --cli-input-json} takes).
   */
  public static RegisterTaskDefinitionRequest fromFile(SourceFile file) {
    try {
      JsonNode json = file.json("task definition");
      if (json instanceof ObjectNode o) {
        o.remove(List.of("taskDefinitionArn", "revision", "status", "compatibilities"));
      }
      return JSON.treeToValue(json, RegisterTaskDefinitionRequest.serializableBuilderClass())
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the task definition file " + file, e);
    }
  }

  /**
   * The drainhost container of a task definition: the one that sets a {@code DRAINHOST_} variable,
   * else the only one.
   */
  public static ContainerDefinition drainhostContainer(List<ContainerDefinition> containers) {
    return containers.stream()
        .filter(c -> c.environment().stream().anyMatch(e -> e.name().startsWith("DRAINHOST_")))
        .findFirst()
        .orElseGet(
            () -> {
              if (containers.size() != 1) {
                throw new IllegalArgumentException(
                    "the task definition has "
                        + containers.size()
                        + " containers and none sets a DRAINHOST_ variable: which one is the"
                        + " host?");
              }
              return containers.get(0);
            });
  }

  /** The source with the drainhost container's image and version changed; registers it. */
  public String register(
      RegisterTaskDefinitionRequest source, String image, String deployment, String buildId) {
    ContainerDefinition host = drainhostContainer(source.containerDefinitions());
    List<ContainerDefinition> containers = new ArrayList<>();
    for (ContainerDefinition c : source.containerDefinitions()) {
      if (c != host) {
        containers.add(c);
        continue;
      }
      List<KeyValuePair> env = new ArrayList<>();
      for (KeyValuePair e : c.environment()) {
        if (!e.name().equals(DEPLOYMENT_VARIABLE) && !e.name().equals(BUILD_ID_VARIABLE)) {
          env.add(e);
        }
      }
      env.add(KeyValuePair.builder().name(DEPLOYMENT_VARIABLE).value(deployment).build());
      env.add(KeyValuePair.builder().name(BUILD_ID_VARIABLE).value(buildId).build());
      containers.add(c.toBuilder().image(image).environment(env).build());
    }
    return ecs.registerTaskDefinition(source.toBuilder().containerDefinitions(containers).build())
        .taskDefinition()
        .taskDefinitionArn();
  }

  /**
   * The build id an image names, as the host derives it from its task metadata: its digest without
   * the algorithm, else its tag.
   */
  public static String buildIdOf(String image) {
    int at = image.indexOf('@');
    if (at >= 0) {
      String digest = image.substring(at + 1);
      return digest.substring(digest.indexOf(':') + 1);
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon > slash && colon < image.length() - 1) {
      return image.substring(colon + 1);
    }
    throw new IllegalArgumentException(
        "--image " + image + " names neither a digest (@sha256:…) nor a tag: give --build-id");
  }
}
