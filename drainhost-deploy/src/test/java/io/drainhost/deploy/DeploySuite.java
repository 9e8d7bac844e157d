package io.drainhost.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drainhost.deploy.activity.ReleaseActivities;
import io.drainhost.deploy.plan.Action;
import io.drainhost.deploy.plan.Plan;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import io.drainhost.testing.TemporalServers;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * What the deploy tool's end-to-end tests share: a real Temporal server (drainage checked every
 * second), moto's server for ECS, Application Auto Scaling, the load balancers and EC2 (its
 * CreateService checks subnets against its EC2: a VPC, a subnet, a security group and a target
 * group are made first), the recorder in front of it, and the tool run as its jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeploySuite {
  static final Path ROOT = Path.of(System.getProperty("drainhost.root", ".."));

  TemporalServer temporal;
  ChildProcess moto;
  URI motoEndpoint;
  AwsRecorder recorder;
  WorkflowServiceStubs stubs;
  WorkflowClient client;
  ApplicationAutoScalingClient autoscaling;
  String subnet;
  String securityGroup;
  String vpc;
  String targetGroupArn;
  Path taskDefinition;

  /** The tests' own calls: allowed everything. */
  StaticCredentialsProvider admin;

  /** The tool's: only ecs/drainhost-deploy-iam-policy.json, as moto evaluates it. */
  AwsBasicCredentials deployer;

  private final Map<String, AwsBasicCredentials> withoutStatement = new HashMap<>();

  static Optional<Path> motoServer() {
    String configured = System.getenv("DRAINHOST_MOTO_SERVER");
    if (configured != null) {
      return Optional.of(Path.of(configured));
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir, "moto_server");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  @BeforeAll
  void start() {
    Optional<Path> server = motoServer();
    if (System.getenv("DRAINHOST_REQUIRE_MOTO") == null) {
      assumeTrue(server.isPresent(), "moto_server not installed (pip install \"moto[server]\")");
    }
    TemporalServers.requireAvailable(TemporalServer.Kind.TEMPORAL_CLI, getClass());
    temporal =
        TemporalServer.startWithDynamicConfig(
            Map.of(
                "matching.wv.VersionDrainageStatusRefreshInterval", "\"1s\"",
                "matching.wv.VersionDrainageStatusVisibilityGracePeriod", "\"1s\""));
    int port = LocalHosts.freePort();
    moto =
        ChildProcess.exec(
            "moto",
            Map.of(),
            List.of(
                server.orElseThrow(() -> new IllegalStateException("no moto_server")).toString(),
                "-H",
                "127.0.0.1",
                "-p",
                Integer.toString(port)));
    moto.awaitLog("Running on", Duration.ofSeconds(30));
    motoEndpoint = URI.create("http://127.0.0.1:" + port);
    recorder = new AwsRecorder(motoEndpoint);
    // The tool runs as a principal holding the deploy policy and nothing else, and moto enforces
    // it from here on; the tests' own calls (fleet, setup, checks) run as an administrator.
    try (IamClient iam = onMoto(IamClient.builder())) {
      admin = StaticCredentialsProvider.create(MotoIam.user(iam, "tests", MotoIam.ALLOW_ALL));
      deployer = MotoIam.user(iam, "drainhost-deploy", MotoIam.deployPolicy(Set.of()));
    }
    MotoIam.enforce(motoEndpoint);
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
    client = WorkflowClient.newInstance(stubs);
    autoscaling = onMoto(ApplicationAutoScalingClient.builder());
    try (Ec2Client ec2 = ec2();
        ElasticLoadBalancingV2Client elb = elb()) {
      vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
      subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24")).subnet().subnetId();
      securityGroup =
          ec2.createSecurityGroup(b -> b.groupName("drainhost").description("tasks").vpcId(vpc))
              .groupId();
      targetGroupArn =
          elb.createTargetGroup(
                  b ->
                      b.name("drainhost")
                          .protocol("HTTP")
                          .port(8080)
                          .vpcId(vpc)
                          .targetType("ip")
                          .healthCheckPath("/health")
                          .healthCheckIntervalSeconds(15)
                          .healthyThresholdCount(2))
              .targetGroups()
              .get(0)
              .targetGroupArn();
      elb.modifyTargetGroupAttributes(
          b ->
              b.targetGroupArn(targetGroupArn)
                  .attributes(a -> a.key("deregistration_delay.timeout_seconds").value("300")));
    }
    taskDefinition = taskDefinitionFor(temporal.address(), "default");
    // The roles the shipped task definition names: a release refuses roles that do not exist.
    try (IamClient iam = iam()) {
      for (String role : List.of("drainhost-task-execution", "drainhost-task")) {
        iam.createRole(
            b ->
                b.roleName(role)
                    .assumeRolePolicyDocument(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},"
                            + "\"Action\":\"sts:AssumeRole\"}]}"));
      }
    }
  }

  ElasticLoadBalancingV2Client elb() {
    return onMoto(ElasticLoadBalancingV2Client.builder());
  }

  Ec2Client ec2() {
    return onMoto(Ec2Client.builder());
  }

  /**
   * The shipped task definition as a team sets it for its Temporal: its address and namespace (the
   * file's are placeholders). A release refuses tasks that would poll another namespace.
   */
  static Path taskDefinitionFor(String address, String namespace) {
    try {
      com.fasterxml.jackson.databind.ObjectMapper json =
          new com.fasterxml.jackson.databind.ObjectMapper();
      com.fasterxml.jackson.databind.JsonNode td =
          json.readTree(ROOT.resolve("ecs/task-definition.json").toFile());
      for (com.fasterxml.jackson.databind.JsonNode e :
          td.at("/containerDefinitions/0/environment")) {
        com.fasterxml.jackson.databind.node.ObjectNode v =
            (com.fasterxml.jackson.databind.node.ObjectNode) e;
        if (v.path("name").asText().equals("TEMPORAL_ADDRESS")) {
          v.put("value", address);
        } else if (v.path("name").asText().equals("TEMPORAL_NAMESPACE")) {
          v.put("value", namespace);
        }
      }
      Path file = Files.createTempFile("task-definition", ".json");
      file.toFile().deleteOnExit();
      Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(td));
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  EcsClient ecs() {
    return onMoto(EcsClient.builder());
  }

  IamClient iam() {
    return onMoto(IamClient.builder());
  }

  CloudFormationClient cloudFormation() {
    return onMoto(CloudFormationClient.builder());
  }

  /** A client of one of moto's APIs, as the tests reach them (not through the recorder). */
  <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> C onMoto(B builder) {
    return builder
        .endpointOverride(motoEndpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            admin != null
                ? admin
                : StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @AfterAll
  void stop() {
    if (stubs != null) {
      stubs.shutdownNow();
    }
    if (autoscaling != null) {
      autoscaling.close();
    }
    if (recorder != null) {
      recorder.close();
    }
    if (moto != null) {
      moto.close();
    }
    if (temporal != null) {
      temporal.stop();
      temporal.close();
    }
  }

  /** The tool's environment: every AWS endpoint through the recorder, Temporal's address. */
  Map<String, String> toolEnv() {
    return toolEnv(deployer);
  }

  /**
   * The tool's environment as a principal whose policy lacks one statement of the deploy policy:
   * what needs that statement must fail.
   */
  Map<String, String> toolEnvWithout(String sid) {
    AwsBasicCredentials key =
        withoutStatement.computeIfAbsent(
            sid,
            s -> {
              try (IamClient iam = iam()) {
                return MotoIam.user(iam, "without-" + s, MotoIam.deployPolicy(Set.of(s)));
              }
            });
    return toolEnv(key);
  }

  private Map<String, String> toolEnv(AwsBasicCredentials key) {
    Map<String, String> env = new HashMap<>();
    // One endpoint for every AWS service the tool calls, as the docs name it.
    env.put("AWS_ENDPOINT_URL", recorder.uri().toString());
    env.put("AWS_ACCESS_KEY_ID", key.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", key.secretAccessKey());
    env.put("AWS_REGION", "us-east-1");
    env.put("TEMPORAL_ADDRESS", temporal.address());
    return env;
  }

  ChildProcess tool(String... args) {
    return tool(toolEnv(), args);
  }

  static ChildProcess tool(Map<String, String> env, String... args) {
    return ChildProcess.startJar(
        ChildProcess.locate("drainhost-deploy.jar", "drainhost-deploy.jar"),
        "deploy-" + args[0],
        env,
        args);
  }

  static int run(ChildProcess tool) {
    int exit = tool.awaitExit(Duration.ofMinutes(5));
    System.out.println("--- " + tool.name() + " exited " + exit + "\n" + tool.output());
    return exit;
  }

  static int awaitHostPort(EcsFleet fleet, String service) {
    await(service + " has hosts")
        .atMost(Duration.ofSeconds(60))
        .until(() -> !fleet.hostsOf(service).isEmpty());
    ChildProcess h = fleet.hostsOf(service).get(0);
    int port = h.awaitHttpPort();
    h.awaitLog("workers started", Duration.ofSeconds(90));
    return port;
  }

  /** A first release's arguments: the shipped files and the account's network and target group. */
  String[] firstRelease(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--task-definition",
            taskDefinition.toString(),
            "--service-settings",
            ROOT.resolve("ecs/service-settings.json").toString(),
            "--subnets",
            subnet,
            "--security-groups",
            securityGroup,
            "--target-group-arn",
            targetGroupArn));
    return all.toArray(new String[0]);
  }

  /**
   * A SleepWorkflow of 600 s started on the host at {@code port}, once its activity runs: a run
   * past its first task, which a build that changes the workflow without a patch cannot replay.
   */
  String sleepPastItsFirstTask(int port) {
    String id =
        io.restassured.RestAssured.given()
            .port(port)
            .contentType("application/json")
            .body("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":600}}")
            .post("/executions")
            .then()
            .statusCode(201)
            .extract()
            .path("workflowId");
    await(id + " runs its activity")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client
                        .newUntypedWorkflowStub(id)
                        .describe()
                        .getRawDescription()
                        .getPendingActivitiesCount()
                    > 0);
    return id;
  }

  /** The deployment as Temporal has it, read by the test (namespace default). */
  io.temporal.api.deployment.v1.WorkerDeploymentInfo deploymentInfo(String deployment) {
    return stubs
        .blockingStub()
        .describeWorkerDeployment(
            io.temporal.api.workflowservice.v1.DescribeWorkerDeploymentRequest.newBuilder()
                .setNamespace("default")
                .setDeploymentName(deployment)
                .build())
        .getWorkerDeploymentInfo();
  }

  static int desired(EcsFleet fleet, String cluster, String service) {
    return fleet
        .ecs
        .describeServices(b -> b.cluster(cluster).services(service))
        .services()
        .get(0)
        .desiredCount();
  }

  static boolean serviceExists(EcsFleet fleet, String cluster, String service) {
    return fleet.ecs.describeServices(b -> b.cluster(cluster).services(service)).services().stream()
        .anyMatch(s -> "ACTIVE".equals(s.status()));
  }

  static int taskDefinitionCount(EcsFleet fleet) {
    return fleet.ecs.listTaskDefinitions().taskDefinitionArns().size();
  }

  List<ScalableTarget> scalableTargets(String cluster, String service) {
    return autoscaling
        .describeScalableTargets(
            b ->
                b.serviceNamespace(ServiceNamespace.ECS)
                    .resourceIds("service/" + cluster + "/" + service))
        .scalableTargets();
  }

  static String[] concat(String command, String[] common, String... rest) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(List.of(common));
    all.addAll(List.of(rest));
    return all.toArray(new String[0]);
  }

  /** A workflow's history, its latest run's, as the tests read it back. */
  List<HistoryEvent> history(String workflowId) {
    return client.fetchHistory(workflowId).getEvents();
  }

  /** The plans the release recorded (a marker each), in order. */
  List<Plan> plans(String workflowId) {
    List<Plan> plans = new ArrayList<>();
    for (HistoryEvent e : history(workflowId)) {
      if (e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED) {
        Payloads data = e.getMarkerRecordedEventAttributes().getDetailsMap().get("data");
        if (data != null) {
          plans.add(
              DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
                  0, Optional.of(data), Plan.class, Plan.class));
        }
      }
    }
    return plans;
  }

  /** The actions the release handed to its act activity, in order. */
  List<Action> actedOn(String workflowId) {
    List<Action> actions = new ArrayList<>();
    for (HistoryEvent e : history(workflowId)) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && e.getActivityTaskScheduledEventAttributes()
              .getActivityType()
              .getName()
              .equals("Act")) {
        actions.addAll(
            DefaultDataConverter.STANDARD_INSTANCE
                .fromPayloads(
                    0,
                    Optional.of(e.getActivityTaskScheduledEventAttributes().getInput()),
                    ReleaseActivities.ActRequest.class,
                    ReleaseActivities.ActRequest.class)
                .plan()
                .actions());
      }
    }
    return actions;
  }
}
