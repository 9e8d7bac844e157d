package io.drainhost.deploy;

import io.drainhost.deploy.aws.AwsCallFailures;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Where the command connects: Temporal from its standard environment configuration (TEMPORAL_*
 * variables and profiles) unless given here; ECS through the AWS SDK's default credential chain,
 * region and endpoints ({@code AWS_ENDPOINT_URL} for every service, or {@code
 * AWS_ENDPOINT_URL_ECS}, {@code _APPLICATION_AUTO_SCALING}, {@code _ELASTIC_LOAD_BALANCING_V2},
 * {@code _IAM} each).
 */
public final class Connections {
  @Option(names = "--deployment", required = true, description = "the Worker Deployment's name")
  public String deployment;

  @Option(names = "--cluster", required = true, description = "the ECS cluster of its services")
  public String cluster;

  @Option(names = "--address", description = "Temporal's host:port (else TEMPORAL_ADDRESS)")
  public String address;

  @Option(names = "--namespace", description = "the namespace (else TEMPORAL_NAMESPACE, default)")
  public String namespace;

  /** Connections given in code, not by picocli. */
  public static Connections of(
      String deployment, String cluster, String address, String namespace) {
    Connections c = new Connections();
    c.deployment = deployment;
    c.cluster = cluster;
    c.address = address;
    c.namespace = namespace;
    return c;
  }

  public String namespace() {
    return namespace != null
        ? namespace
        : profile().getNamespace() != null ? profile().getNamespace() : "default";
  }

  private ClientConfigProfile profile() {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (address != null) {
      env.put("TEMPORAL_ADDRESS", address);
    }
    if (namespace != null) {
      env.put("TEMPORAL_NAMESPACE", namespace);
    }
    try {
      return ClientConfigProfile.load(
          LoadClientConfigProfileOptions.newBuilder().setEnvOverrides(env).build());
    } catch (java.io.IOException e) {
      throw new DeployException(DeployException.USAGE, "Temporal configuration: " + e.getMessage());
    }
  }

  /** Stubs that answer, or a {@link DeployException} naming the address. */
  public WorkflowServiceStubs temporal() {
    ClientConfigProfile p = profile();
    if (p.getAddress() == null || p.getAddress().isBlank()) {
      throw new DeployException(
          DeployException.USAGE, "no Temporal address: set TEMPORAL_ADDRESS or give --address");
    }
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder(p.toWorkflowServiceStubsOptions())
                .setRpcTimeout(Duration.ofSeconds(10))
                .setGrpcClientInterceptors(
                    java.util.List.of(new io.drainhost.deploy.temporal.TemporalCallFailures()))
                .build());
    try {
      stubs.healthCheck();
    } catch (RuntimeException e) {
      stubs.shutdownNow();
      throw new DeployException(
          DeployException.UNAVAILABLE,
          "Temporal at " + p.getAddress() + " does not answer: " + e.getMessage());
    }
    return stubs;
  }

  /** Temporal's address as configured, for messages. */
  public String address() {
    String a = profile().getAddress();
    return a == null || a.isBlank() ? "(no address)" : a;
  }

  /** Where Temporal is, as a failure names it. */
  public String temporalScope() {
    return "Temporal at " + address() + ", namespace " + namespace();
  }

  public WorkflowClient client(WorkflowServiceStubs stubs) {
    return WorkflowClient.newInstance(
        stubs,
        WorkflowClientOptions.newBuilder(profile().toWorkflowClientOptions())
            .setNamespace(namespace())
            .build());
  }

  /** Every AWS client names its failed calls ({@link AwsCallFailures}). */
  private static ClientOverrideConfiguration namedFailures() {
    return ClientOverrideConfiguration.builder()
        .addExecutionInterceptor(new AwsCallFailures())
        .build();
  }

  public EcsClient ecs() {
    return EcsClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(namedFailures())
        .build();
  }

  /** IAM, to see that a task definition's roles exist ({@code AWS_ENDPOINT_URL_IAM}). */
  public IamClient iam() {
    return IamClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(namedFailures())
        .build();
  }

  /** Application Auto Scaling ({@code AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING} overrides it). */
  public ApplicationAutoScalingClient autoscaling() {
    return ApplicationAutoScalingClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(namedFailures())
        .build();
  }

  /**
   * The load balancers' API, to read a target group ({@code
   * AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2}).
   */
  public ElasticLoadBalancingV2Client elb() {
    return ElasticLoadBalancingV2Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(namedFailures())
        .build();
  }
}
