package io.drainhost.deploy;

import io.drainhost.deploy.aws.EcsServices;
import io.drainhost.deploy.aws.Roles;
import io.drainhost.deploy.aws.Scaling;
import io.drainhost.deploy.aws.TargetGroups;
import io.drainhost.deploy.aws.TaskDefinitions;
import io.drainhost.deploy.observe.Observer;
import io.drainhost.deploy.plan.Observed;
import io.drainhost.deploy.temporal.TemporalDeployments;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Clock;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;

/** What a command or a release's activities work with, once connected; closing closes it all. */
public record Parts(
    Connections connections,
    WorkflowServiceStubs stubs,
    WorkflowClient client,
    TemporalDeployments temporal,
    EcsServices ecs,
    TaskDefinitions taskDefinitions,
    Scaling scaling,
    TargetGroups targetGroups,
    Roles roles,
    Observer observer,
    AutoCloseable clients)
    implements AutoCloseable {

  /**
   * Connects to Temporal (it must answer, and know the namespace) and makes the AWS clients; a
   * {@link DeployException} names what failed.
   */
  public static Parts open(Connections c) {
    WorkflowServiceStubs stubs = c.temporal();
    EcsClient ecs = null;
    ApplicationAutoScalingClient autoscaling = null;
    ElasticLoadBalancingV2Client elb = null;
    IamClient iam = null;
    try {
      ecs = c.ecs();
      autoscaling = c.autoscaling();
      elb = c.elb();
      iam = c.iam();
      TemporalDeployments temporal = new TemporalDeployments(stubs, c.namespace(), c.deployment);
      if (!temporal.namespaceExists()) {
        throw new DeployException(
            DeployException.USAGE,
            "namespace "
                + c.namespace()
                + " does not exist on Temporal at "
                + c.address()
                + ": a typo in TEMPORAL_NAMESPACE or --namespace, or another Temporal"
                + " cluster? Nothing was changed");
      }
      EcsServices services = new EcsServices(ecs, c.cluster, c.deployment);
      Scaling scaling = new Scaling(autoscaling, services.clusterName());
      TaskDefinitions taskDefinitions = new TaskDefinitions(ecs);
      Observed.Scope scope =
          new Observed.Scope(
              c.deployment,
              c.namespace(),
              c.address(),
              c.cluster,
              ecs.serviceClientConfiguration().region().id());
      AutoCloseable[] all = {ecs, autoscaling, elb, iam};
      return new Parts(
          c,
          stubs,
          c.client(stubs),
          temporal,
          services,
          taskDefinitions,
          scaling,
          new TargetGroups(elb),
          new Roles(iam),
          new Observer(scope, temporal, services, taskDefinitions, scaling, Clock.systemUTC()),
          () -> {
            for (AutoCloseable a : all) {
              a.close();
            }
            stubs.shutdownNow();
          });
    } catch (RuntimeException e) {
      for (AutoCloseable a : new AutoCloseable[] {ecs, autoscaling, elb, iam}) {
        if (a != null) {
          try {
            a.close();
          } catch (Exception ignored) {
            // closing after a failure: the failure is what is reported
          }
        }
      }
      stubs.shutdownNow();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      clients.close();
    } catch (Exception e) {
      // closing clients: nothing left to do with them
    }
  }
}
