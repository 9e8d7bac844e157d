package io.drainhost.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.EcsClient;
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
final class EcsServices {
  static final String DEPLOYMENT_TAG = "drainhost:deployment";
  static final String BUILD_ID_TAG = "drainhost:build-id";

  private final EcsClient ecs;
  private final String cluster;
  private final String deployment;

  EcsServices(EcsClient ecs, String cluster, String deployment) {
    this.ecs = ecs;
    this.cluster = cluster;
    this.deployment = deployment;
  }

  /** A version's service: its name, counts and status. */
  record VersionService(String name, String buildId, int desired, int running, String status) {}

  /** The deployment's active services, by build id; throws when one build id has two. */
  Map<String, VersionService> byBuildId() {
    List<String> arns = new ArrayList<>();
    ecs.listServicesPaginator(ListServicesRequest.builder().cluster(cluster).build())
        .serviceArns()
        .forEach(arns::add);
    List<VersionService> found = new ArrayList<>();
    for (int i = 0; i < arns.size(); i += 10) {
      for (Service s :
          ecs.describeServices(
                  DescribeServicesRequest.builder()
                      .cluster(cluster)
                      .services(arns.subList(i, Math.min(arns.size(), i + 10)))
                      .include(ServiceField.TAGS)
                      .build())
              .services()) {
        Optional<String> buildId = tag(s, BUILD_ID_TAG);
        if ("ACTIVE".equals(s.status())
            && tag(s, DEPLOYMENT_TAG).filter(deployment::equals).isPresent()
            && buildId.isPresent()) {
          found.add(
              new VersionService(
                  s.serviceName(), buildId.get(), s.desiredCount(), s.runningCount(), s.status()));
        }
      }
    }
    Map<String, List<VersionService>> grouped =
        found.stream().collect(Collectors.groupingBy(VersionService::buildId));
    grouped.forEach(
        (buildId, services) -> {
          if (services.size() > 1) {
            throw new DeployException(
                DeployException.USAGE,
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

  void scaleToZero(VersionService s) {
    ecs.updateService(b -> b.cluster(cluster).service(s.name()).desiredCount(0));
  }

  void delete(VersionService s) {
    ecs.deleteService(b -> b.cluster(cluster).service(s.name()));
  }

  Optional<VersionService> of(String buildId) {
    return Optional.ofNullable(byBuildId().get(buildId));
  }

  private static Optional<String> tag(Service s, String key) {
    return s.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst();
  }
}
