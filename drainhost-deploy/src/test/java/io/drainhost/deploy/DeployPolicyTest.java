package io.drainhost.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The deploy role's policy: the template's DeployRole and ecs/drainhost-deploy-iam-policy.json are
 * one policy, and what moto's IAM cannot judge (resources, conditions, iam:PassRole) has the shape
 * least privilege asks for. DeployIT proves the rest by running releases as that policy.
 */
class DeployPolicyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Actions AWS authorizes on "*" only (the Service Authorization Reference lists no resource). */
  private static final Set<String> NO_RESOURCE_LEVEL =
      Set.of(
          "ecs:ListServices",
          "ecs:DescribeTaskDefinition",
          "application-autoscaling:DescribeScalableTargets",
          "application-autoscaling:DescribeScalingPolicies",
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetGroupAttributes");

  /**
   * The template resolved for one stack (distinct values for every reference) and the file filled
   * with the same values are the same policy.
   */
  @Test
  void theFileIsTheTemplatesDeployRolePolicyWithItsReferencesAsPlaceholders() {
    String account = "123456789012";
    String taskRole = "arn:aws:iam::" + account + ":role/orders-TaskRole-A1";
    String executionRole = "arn:aws:iam::" + account + ":role/orders-ExecutionRole-B2";
    JsonNode inTemplate =
        CloudFormationTemplate.resolvedWith(
                Map.of("DeploymentName", "orders"),
                Map.of(
                    "AWS::Partition", "aws",
                    "AWS::Region", "eu-west-1",
                    "AWS::AccountId", account),
                Map.of("Cluster", TextNode.valueOf("orders-cluster")),
                Map.of("TaskRole.Arn", taskRole, "ExecutionRole.Arn", executionRole))
            .properties("DeployRole")
            .at("/Policies/0/PolicyDocument");
    JsonNode file =
        MotoIam.filled(
            Map.of(
                "AWS::Partition", "aws",
                "AWS::Region", "eu-west-1",
                "AWS::AccountId", account,
                "Cluster", "orders-cluster",
                "DeploymentName", "orders",
                "TaskDefinitionFamily", "orders",
                "TaskRole.Arn", taskRole,
                "ExecutionRole.Arn", executionRole));
    assertEquals(file, inTemplate);
  }

  @Test
  void itPassesOnlyTheStacksTaskAndExecutionRolesAndOnlyToEcsTasks() throws IOException {
    JsonNode pass = statement("PassTheTaskRolesOnlyToEcsTasks");
    assertEquals("iam:PassRole", pass.path("Action").asText());
    assertEquals(
        List.of("${TaskRole.Arn}", "${ExecutionRole.Arn}"), MotoIam.texts(pass.path("Resource")));
    assertEquals(
        "ecs-tasks.amazonaws.com", pass.at("/Condition/StringEquals/iam:PassedToService").asText());
    assertEquals(
        MotoIam.texts(pass.path("Resource")),
        MotoIam.texts(statement("CheckTheTaskRolesExist").path("Resource")));
  }

  @Test
  void itCreatesOnlyServicesTaggedForTheDeploymentAndChangesOnlyThose() throws IOException {
    String cluster =
        "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/${Cluster}/*";
    JsonNode create = statement("CreateServicesTaggedForTheDeployment");
    assertEquals(cluster, create.path("Resource").asText());
    assertEquals(
        "${DeploymentName}",
        create.at("/Condition/StringEquals/aws:RequestTag~1drainhost:deployment").asText());
    JsonNode tag = statement("TagOnlyWhileCreatingThem");
    assertEquals(cluster, tag.path("Resource").asText());
    assertEquals("CreateService", tag.at("/Condition/StringEquals/ecs:CreateAction").asText());
    assertEquals(
        "${DeploymentName}",
        tag.at("/Condition/StringEquals/aws:RequestTag~1drainhost:deployment").asText());
    JsonNode change = statement("ScaleAndDeleteOnlyTheDeploymentsServices");
    assertEquals(
        List.of("ecs:UpdateService", "ecs:DeleteService"), MotoIam.texts(change.path("Action")));
    assertEquals(cluster, change.path("Resource").asText());
    assertEquals(
        "${DeploymentName}",
        change.at("/Condition/StringEquals/aws:ResourceTag~1drainhost:deployment").asText());
    assertEquals(
        "ecs:service:DesiredCount",
        statement("AutoscaleEcsServiceDesiredCounts")
            .at("/Condition/StringEquals/application-autoscaling:scalable-dimension")
            .asText());
    assertTrue(
        statement("TargetTrackingAlarmsOfTheClustersServices")
            .path("Resource")
            .asText()
            .endsWith(":alarm:TargetTracking-service/${Cluster}/*"));
  }

  @Test
  void onlyActionsWithoutResourceLevelPermissionsAreAllowedOnEveryResource() throws IOException {
    for (JsonNode s : file().path("Statement")) {
      assertFalse(s.path("Action").toString().contains("*"), "no wildcard action: " + s);
      if (MotoIam.texts(s.path("Resource")).contains("*")) {
        assertTrue(
            NO_RESOURCE_LEVEL.containsAll(MotoIam.texts(s.path("Action"))),
            "on * only what AWS cannot scope: " + s);
      }
    }
    assertTrue(
        statement("ListTheClustersServices")
            .at("/Condition/ArnEquals/ecs:cluster")
            .asText()
            .endsWith(":cluster/${Cluster}"));
  }

  @Test
  void everyStatementIsProvenNeededByARunOrItsShapeIsAsserted() throws IOException {
    List<String> sids = new ArrayList<>();
    file().path("Statement").forEach(s -> sids.add(s.path("Sid").asText()));
    List<String> accounted = new ArrayList<>(MotoIam.NEEDED_BY_A_RELEASE);
    accounted.addAll(MotoIam.NEEDED_BY_SUNSET);
    accounted.addAll(MotoIam.NOT_EVALUATED);
    assertEquals(new HashSet<>(sids), new HashSet<>(accounted));
    assertEquals(sids.size(), accounted.size(), "each statement in one group: " + accounted);
  }

  @Test
  void theWorkersRoleCannotRelease() {
    JsonNode resources = CloudFormationTemplate.decoded().path("Resources");
    assertEquals(
        "TaskRole",
        resources.at("/TaskDefinition/Properties/TaskRoleArn/Fn::GetAtt/0").asText(),
        "the tasks run as TaskRole");
    String workers =
        resources.path("TaskRole").toString() + resources.path("ProtectOwnTasks").toString();
    for (String action :
        List.of(
            "ecs:CreateService",
            "ecs:UpdateService",
            "ecs:RegisterTaskDefinition",
            "iam:PassRole",
            "application-autoscaling:")) {
      assertFalse(workers.contains(action), action + " is not the workers': " + workers);
    }
  }

  @Test
  void onlyTheControllersTaskRunsAsTheDeployRoleAndOnlyWhenTheStackRunsOne() {
    JsonNode resources = CloudFormationTemplate.decoded().path("Resources");
    assertEquals(
        "DeployRole",
        resources.at("/ControllerTaskDefinition/Properties/TaskRoleArn/Fn::GetAtt/0").asText());
    assertEquals("HasController", resources.at("/ControllerTaskDefinition/Condition").asText());
    assertEquals("HasController", resources.at("/ControllerService/Condition").asText());
    JsonNode trust =
        resources.at("/DeployRole/Properties/AssumeRolePolicyDocument/Statement/Fn::If");
    assertEquals("HasController", trust.get(0).asText());
    assertTrue(trust.get(1).toString().contains("ecs-tasks.amazonaws.com"), trust.toString());
    assertFalse(
        trust.get(2).toString().contains("ecs-tasks.amazonaws.com"),
        "without a controller no task may assume it: " + trust);
    assertFalse(
        resources.at("/ControllerService/Properties").toString().contains("drainhost:deployment"),
        "the controller is not a version of the deployment");
  }

  private static JsonNode file() throws IOException {
    return JSON.readTree(MotoIam.POLICY.toFile());
  }

  private static JsonNode statement(String sid) throws IOException {
    for (JsonNode s : file().path("Statement")) {
      if (s.path("Sid").asText().equals(sid)) {
        return s;
      }
    }
    throw new AssertionError("no statement " + sid);
  }
}
