package io.drainhost.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.drainhost.deploy.plan.ServiceNames;
import io.drainhost.testing.ChildProcess;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * ecs/cloudformation/drainhost.yaml stood up in moto's CloudFormation, then operated by
 * drainhost-deploy as its outputs say: the first release command makes the stack's first version
 * current, status shows it, and a deploy of a second version copies the stack's service. moto's
 * CloudFormation creates an ECS service from only its name, cluster, task definition and desired
 * count (its own TODOs: load balancers …): the test finds it by the stack's output, gives it the
 * tags the template declares (TagResource) and has the recorder answer DescribeServices with the
 * template's settings, as CloudFormation on AWS creates the service. What moto does not model at
 * all (the load balancer's health checks, autoscaling, alarms) is checked by cfn-lint and by the
 * container drill.
 */
class CloudFormationStackIT extends DeploySuite {
  @Test
  void theStackStandsUpAndDrainhostDeployReleasesOnWhatItCreated() throws Exception {
    String stack = "dh-" + UUID.randomUUID().toString().substring(0, 6);
    String deployment = "orders" + UUID.randomUUID().toString().substring(0, 6);
    String queue = "stack-" + UUID.randomUUID();
    String lbSubnet;
    try (Ec2Client ec2 = ec2()) {
      lbSubnet =
          ec2.createSubnet(
                  b -> b.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b"))
              .subnet()
              .subnetId();
    }
    Map<String, String> parameters = new HashMap<>();
    parameters.put("VpcId", vpc);
    parameters.put("TaskSubnetIds", subnet);
    parameters.put("LoadBalancerSubnetIds", subnet + "," + lbSubnet);
    parameters.put("DeploymentName", deployment);
    parameters.put("BuildId", "v1");
    parameters.put("Image", "registry.example/orders:v1");
    parameters.put("ImageRepositoryName", "orders");
    parameters.put("TaskQueue", queue);
    parameters.put("TemporalAddress", temporal.address());
    parameters.put("TemporalNamespace", "default");
    parameters.put("DesiredCount", "2");
    parameters.put("ControllerImage", "registry.example/drainhost-deploy:0.1.0");
    try (CloudFormationClient cfn = cloudFormation()) {
      List<Parameter> given = new ArrayList<>();
      parameters.forEach(
          (k, v) -> given.add(Parameter.builder().parameterKey(k).parameterValue(v).build()));
      String body = readTemplate();
      cfn.createStack(
          b ->
              b.stackName(stack)
                  .templateBody(body)
                  .parameters(given)
                  .capabilities(Capability.CAPABILITY_IAM));
      await("the stack is created")
          .atMost(Duration.ofSeconds(60))
          .until(() -> describe(cfn, stack).stackStatusAsString().endsWith("_COMPLETE"));
      Stack created = describe(cfn, stack);
      assertEquals("CREATE_COMPLETE", created.stackStatusAsString(), created.toString());
      Map<String, String> outputs = new HashMap<>();
      for (Output o : created.outputs()) {
        outputs.put(o.outputKey(), o.outputValue());
      }
      Map<String, String> physical = new HashMap<>();
      for (StackResource r : cfn.describeStackResources(b -> b.stackName(stack)).stackResources()) {
        physical.put(r.logicalResourceId(), r.physicalResourceId());
      }
      System.out.println("stack outputs: " + outputs);
      String cluster = outputs.get("ClusterName");
      String v1Service = outputs.get("FirstVersionServiceName");
      assertEquals(stack, cluster);
      assertEquals(deployment, outputs.get("DeploymentName"));
      assertEquals(
          "drainhost-deploy rollout --deployment "
              + deployment
              + " --cluster "
              + cluster
              + " --build-id v1",
          outputs.get("FirstReleaseCommand"));

      // The controller: one task of its own, running as the deploy role, not a version.
      String controllerService = outputs.get("ControllerServiceName");
      try (software.amazon.awssdk.services.ecs.EcsClient ecs = ecs()) {
        Service controller =
            ecs.describeServices(b -> b.cluster(cluster).services(controllerService))
                .services()
                .get(0);
        assertEquals(1, controller.desiredCount());
        software.amazon.awssdk.services.ecs.model.TaskDefinition td =
            ecs.describeTaskDefinition(b -> b.taskDefinition(controller.taskDefinition()))
                .taskDefinition();
        // moto's CloudFormation leaves a task definition's role out; DeployPolicyTest reads it.
        if (td.taskRoleArn() != null) {
          assertEquals(
              outputs.get("DeployRoleArn"), td.taskRoleArn(), "it runs as the deploy role");
        }
        assertEquals(List.of("controller"), td.containerDefinitions().get(0).command());
        assertFalse(
            ecs.listTagsForResource(b -> b.resourceArn(controller.serviceArn())).tags().stream()
                .anyMatch(t -> t.key().startsWith("drainhost:")),
            "not a version of the deployment");
      }

      try (EcsFleet fleet =
          new EcsFleet(ecs(), cluster, temporal.port(), queue, Map.of("v1", "v1", "v2", "v2"))
              .runningControllersWith(toolEnv())) {
        Service service =
            fleet
                .ecs
                .describeServices(b -> b.cluster(cluster).services(v1Service))
                .services()
                .get(0);
        // What CloudFormation on AWS gives the service and moto leaves out.
        fleet.ecs.tagResource(
            b ->
                b.resourceArn(service.serviceArn())
                    .tags(
                        Tag.builder().key("drainhost:deployment").value(deployment).build(),
                        Tag.builder().key("drainhost:build-id").value("v1").build()));
        recorder.createdByCloudFormation(
            v1Service, declaredService(parameters, stack, physical, outputs));

        // The first version's tasks poll; the first release command makes it current.
        awaitHostPort(fleet, v1Service);
        ChildProcess first =
            tool(concat(words(outputs.get("FirstReleaseCommand")), "--pollers-timeout", "90s"));
        assertEquals(0, run(first), first.output());
        assertTrue(first.output().contains(deployment + ":v1 is current"), first.output());

        ChildProcess status = tool(words(outputs.get("StatusCommand")));
        assertEquals(0, run(status), status.output());
        assertTrue(status.output().contains(v1Service), status.output());
        assertTrue(status.output().contains("current"), status.output());

        ChildProcess v2 =
            tool(
                concat(
                    words(
                        outputs
                            .get("DeployCommand")
                            .replace("NEXT", "v2")
                            .replace("IMAGE", "registry.example/orders:v2")),
                    "--pollers-timeout",
                    "90s"));
        assertEquals(0, run(v2), v2.output());
        assertTrue(v2.output().contains(deployment + ":v2 is current"), v2.output());
        assertTrue(
            v2.output().contains("a drainhost-deploy controller polls"),
            "the stack's controller ran the release: " + v2.output());
        JsonNode v2Service = recorder.creation(ServiceNames.of(deployment, "v2"));
        assertEquals(
            outputs.get("TargetGroupArn"),
            v2Service.at("/loadBalancers/0/targetGroupArn").asText());
        assertEquals(
            subnet, v2Service.at("/networkConfiguration/awsvpcConfiguration/subnets/0").asText());
        assertEquals(
            outputs.get("TaskSecurityGroupId"),
            v2Service.at("/networkConfiguration/awsvpcConfiguration/securityGroups/0").asText());
        assertEquals(75, v2Service.path("healthCheckGracePeriodSeconds").asInt());
        assertTrue(
            v2Service.at("/deploymentConfiguration/deploymentCircuitBreaker/enable").asBoolean());
        JsonNode registered = recorder.requests("RegisterTaskDefinition").get(0);
        assertEquals(
            deployment, registered.path("family").asText(), "a revision of the stack's family");
        assertEquals(
            "registry.example/orders:v2", registered.at("/containerDefinitions/0/image").asText());
      }
    }
  }

  /** The service's settings as the template declares them, in the ECS API's shape. */
  private static ObjectNode declaredService(
      Map<String, String> parameters,
      String stack,
      Map<String, String> physical,
      Map<String, String> outputs) {
    Map<String, JsonNode> ids = new HashMap<>();
    physical.forEach((k, v) -> ids.put(k, TextNode.valueOf(v)));
    ids.put("Cluster", TextNode.valueOf(outputs.get("ClusterName")));
    CloudFormationTemplate t =
        CloudFormationTemplate.resolvedWith(
            parameters,
            Map.of(
                "AWS::Region", "us-east-1",
                "AWS::StackName", stack,
                "AWS::Partition", "aws",
                "AWS::AccountId", "123456789012"),
            ids,
            Map.of());
    ObjectNode settings =
        (ObjectNode) CloudFormationTemplate.apiShape(t.properties("FirstVersionService"));
    settings.remove("serviceName");
    return settings;
  }

  private static Stack describe(CloudFormationClient cfn, String stack) {
    return cfn.describeStacks(b -> b.stackName(stack)).stacks().get(0);
  }

  private static String readTemplate() throws java.io.IOException {
    return Files.readString(CloudFormationTemplate.FILE);
  }

  /** A command of the outputs as the tool's arguments (without the program's name). */
  private static String[] words(String command) {
    String[] all = command.trim().split("\\s+");
    assertEquals("drainhost-deploy", all[0], command);
    return java.util.Arrays.copyOfRange(all, 1, all.length);
  }

  private static String[] concat(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }
}
