package io.drainhost.deploy.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.ListServicesRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * The ECS services of a deployment's versions: one service per build id, found by its tags {@code
 * drainhost:deployment} and {@code drainhost:build-id} in one cluster (a naming rule would break
 * the first time someone renames a service). Two active services tagged with one build id are
 * ambiguous and refused.
 */
public final class EcsServices {
  public static final String DEPLOYMENT_TAG = "drainhost:deployment";
  public static final String BUILD_ID_TAG = "drainhost:build-id";

  private final EcsClient ecs;
  private final String cluster;
  private final String deployment;

  public EcsServices(EcsClient ecs, String cluster, String deployment) {
    this.ecs = ecs;
    this.cluster = cluster;
    this.deployment = deployment;
  }

  public EcsClient client() {
    return ecs;
  }

  public String cluster() {
    return cluster;
  }

  /** The cluster's name (the last part of an ARN), as Application Auto Scaling names services. */
  public String clusterName() {
    return cluster.substring(cluster.lastIndexOf('/') + 1);
  }

  /**
   * A version's service as ECS describes it.
   *
   * @param createdAt when the service was created (its first deployment's creation on an ECS API
   *     that leaves the service's own out)
   * @param rolloutFailed ECS's circuit breaker gave up on its primary deployment
   */
  public record VersionService(
      String name,
      String buildId,
      int desired,
      int running,
      String status,
      Instant createdAt,
      boolean rolloutFailed,
      Service described) {}

  /** The deployment's active services, by build id; throws when one build id has two. */
  public Map<String, VersionService> byBuildId() {
    List<VersionService> found = new ArrayList<>();
    for (Service s : describeAll()) {
      Optional<String> buildId = tag(s, BUILD_ID_TAG);
      if ("ACTIVE".equals(s.status())
          && tag(s, DEPLOYMENT_TAG).filter(deployment::equals).isPresent()
          && buildId.isPresent()) {
        found.add(
            new VersionService(
                s.serviceName(),
                buildId.get(),
                s.desiredCount(),
                s.runningCount(),
                s.status(),
                createdAt(s),
                s.deployments().stream()
                    .anyMatch(
                        d ->
                            "PRIMARY".equals(d.status())
                                && "FAILED".equals(d.rolloutStateAsString())),
                s));
      }
    }
    Map<String, List<VersionService>> grouped =
        found.stream().collect(Collectors.groupingBy(VersionService::buildId));
    grouped.forEach(
        (buildId, services) -> {
          if (services.size() > 1) {
            throw new IllegalArgumentException(
                "build id "
                    + buildId
                    + " of deployment "
                    + deployment
                    + " is tagged on "
                    + services.size()
                    + " services in cluster "
                    + cluster
                    + " ("
                    + services.stream().map(VersionService::name).collect(Collectors.joining(", "))
                    + "): tag exactly one");
          }
        });
    return grouped.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0)));
  }

  private List<Service> describeAll() {
    List<String> arns = new ArrayList<>();
    ecs.listServicesPaginator(ListServicesRequest.builder().cluster(cluster).build())
        .serviceArns()
        .forEach(arns::add);
    List<Service> all = new ArrayList<>();
    for (int i = 0; i < arns.size(); i += 10) {
      all.addAll(
          ecs.describeServices(
                  DescribeServicesRequest.builder()
                      .cluster(cluster)
                      .services(arns.subList(i, Math.min(arns.size(), i + 10)))
                      .include(ServiceField.TAGS)
                      .build())
              .services());
    }
    return all;
  }

  private static Instant createdAt(Service s) {
    if (s.createdAt() != null) {
      return s.createdAt();
    }
    return s.deployments().stream()
        .map(Deployment::createdAt)
        .filter(java.util.Objects::nonNull)
        .min(Comparator.naturalOrder())
        .orElse(Instant.now());
  }

  public void create(CreateServiceRequest request) {
    ecs.createService(request);
  }

  public void scale(String service, int desired) {
    ecs.updateService(b -> b.cluster(cluster).service(service).desiredCount(desired));
  }

  public void delete(String service) {
    ecs.deleteService(b -> b.cluster(cluster).service(service).force(true));
  }

  public Optional<VersionService> of(String buildId) {
    return Optional.ofNullable(byBuildId().get(buildId));
  }

  public static Optional<String> tag(Service s, String key) {
    return s.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst();
  }

  /** The deployment's two tags for a version's service. */
  public List<Tag> versionTags(String buildId) {
    return List.of(
        Tag.builder().key(DEPLOYMENT_TAG).value(deployment).build(),
        Tag.builder().key(BUILD_ID_TAG).value(buildId).build());
  }
}
