package io.drainhost.deploy.aws;

import java.util.Optional;
import java.util.OptionalInt;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;

/** What {@code check} reads of a service's target group: its health check and deregistration. */
public final class TargetGroups {
  private final ElasticLoadBalancingV2Client client;

  public TargetGroups(ElasticLoadBalancingV2Client client) {
    this.client = client;
  }

  /** A target group's settings that a drain depends on; empty fields where it did not say. */
  public record Health(
      Optional<String> path,
      OptionalInt interval,
      OptionalInt healthyThreshold,
      OptionalInt deregistrationDelay) {}

  public Health read(String targetGroupArn) {
    TargetGroup tg =
        client.describeTargetGroups(b -> b.targetGroupArns(targetGroupArn)).targetGroups().get(0);
    OptionalInt delay = OptionalInt.empty();
    for (TargetGroupAttribute a :
        client.describeTargetGroupAttributes(b -> b.targetGroupArn(targetGroupArn)).attributes()) {
      if ("deregistration_delay.timeout_seconds".equals(a.key())) {
        delay = OptionalInt.of(Integer.parseInt(a.value()));
      }
    }
    return new Health(
        Optional.ofNullable(tg.healthCheckPath()),
        tg.healthCheckIntervalSeconds() == null
            ? OptionalInt.empty()
            : OptionalInt.of(tg.healthCheckIntervalSeconds()),
        tg.healthyThresholdCount() == null
            ? OptionalInt.empty()
            : OptionalInt.of(tg.healthyThresholdCount()),
        delay);
  }
}
