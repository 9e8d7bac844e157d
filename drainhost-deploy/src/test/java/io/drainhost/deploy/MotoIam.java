package io.drainhost.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * moto's IAM enforcement: once on, every call must be signed with the key of an IAM user of moto's
 * whose policies allow it. What moto 5.2.5 evaluates (read in its iam/access_control.py and
 * core/responses.py): the action of every call; the resource only for IAM's calls on a role that
 * exists (every other call is judged as one on {@code "*"}); the conditions of an identity policy
 * never (it has no request context, so every condition holds); and nothing AWS checks besides the
 * call itself ({@code iam:PassRole}, {@code ecs:TagResource} on a create, target tracking's
 * alarms). {@link DeployPolicyTest} asserts the shape of what moto cannot judge.
 */
final class MotoIam {
  static final String ACCOUNT = "123456789012";
  static final Path POLICY = DeploySuite.ROOT.resolve("ecs/drainhost-deploy-iam-policy.json");

  /** The statements no moto call depends on: only their shape is tested. */
  static final Set<String> NOT_EVALUATED =
      Set.of(
          "TagOnlyWhileCreatingThem",
          "TargetTrackingAlarmsOfTheClustersServices",
          "PassTheTaskRolesOnlyToEcsTasks");

  /** The statements a release from a current version needs (DeployIT runs it without each). */
  static final java.util.List<String> NEEDED_BY_A_RELEASE =
      java.util.List.of(
          "ListTheClustersServices",
          "DescribeTheClustersServices",
          "ReadAutoscaling",
          "ReadTaskDefinitions",
          "ReadTheTargetGroup",
          "CheckTheTaskRolesExist",
          "RegisterRevisionsOfTheFamily",
          "CreateServicesTaggedForTheDeployment");

  /** The statements sunset needs besides those (DeployIT runs it without each). */
  static final java.util.List<String> NEEDED_BY_SUNSET =
      java.util.List.of(
          "AutoscaleEcsServiceDesiredCounts", "ScaleAndDeleteOnlyTheDeploymentsServices");

  static final String ALLOW_ALL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
          + "\"Resource\":\"*\"}]}";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

  /**
   * The placeholders' values for the suite's account: the roles its task definition names. The
   * cluster and the deployment differ per test, and moto judges neither (see above).
   */
  static final Map<String, String> VALUES =
      Map.of(
          "AWS::Partition", "aws",
          "AWS::Region", "us-east-1",
          "AWS::AccountId", ACCOUNT,
          "Cluster", "*",
          "DeploymentName", "*",
          "TaskDefinitionFamily", "*",
          "TaskRole.Arn", "arn:aws:iam::" + ACCOUNT + ":role/drainhost-task",
          "ExecutionRole.Arn", "arn:aws:iam::" + ACCOUNT + ":role/drainhost-task-execution");

  private MotoIam() {}

  /** ecs/drainhost-deploy-iam-policy.json with each placeholder replaced by its value. */
  static JsonNode filled(Map<String, String> values) {
    try {
      Matcher m = PLACEHOLDER.matcher(Files.readString(POLICY));
      StringBuilder filled = new StringBuilder();
      while (m.find()) {
        String value = values.get(m.group(1));
        if (value == null) {
          throw new IllegalStateException("no value for the placeholder " + m.group());
        }
        m.appendReplacement(filled, Matcher.quoteReplacement(value));
      }
      m.appendTail(filled);
      return JSON.readTree(filled.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The deploy policy filled in for the suite's account, without the given statements. */
  static String deployPolicy(Set<String> without) {
    try {
      ObjectNode policy = (ObjectNode) filled(VALUES);
      ArrayNode kept = JSON.createArrayNode();
      for (JsonNode statement : policy.path("Statement")) {
        if (without.contains(statement.path("Sid").asText())) {
          continue;
        }
        // moto judges every call but IAM's as one on "*": a statement scoped to ARNs would never
        // match there, though it does in AWS. Its scope is DeployPolicyTest's to check.
        if (!statement.path("Action").toString().contains("\"iam:")) {
          ((ObjectNode) statement).put("Resource", "*");
        }
        kept.add(statement);
      }
      policy.set("Statement", kept);
      return JSON.writeValueAsString(policy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The actions a statement of the deploy policy allows. */
  static java.util.List<String> actionsOf(String sid) {
    try {
      for (JsonNode statement : JSON.readTree(POLICY.toFile()).path("Statement")) {
        if (statement.path("Sid").asText().equals(sid)) {
          return texts(statement.path("Action"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalArgumentException("no statement " + sid);
  }

  /** A policy element's values: IAM allows one string or a list. */
  static java.util.List<String> texts(JsonNode element) {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (element.isArray()) {
      element.forEach(x -> out.add(x.asText()));
    } else {
      out.add(element.asText());
    }
    return out;
  }

  /** An IAM user of moto's with this one inline policy, and its key. */
  static AwsBasicCredentials user(IamClient iam, String name, String policy) {
    iam.createUser(b -> b.userName(name));
    iam.putUserPolicy(b -> b.userName(name).policyName(name).policyDocument(policy));
    AccessKey key = iam.createAccessKey(b -> b.userName(name)).accessKey();
    return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
  }

  /** From now on, moto refuses every call its caller's policies do not allow. */
  static void enforce(URI moto) {
    try {
      HttpURLConnection c =
          (HttpURLConnection) moto.resolve("/moto-api/reset-auth").toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      // Not a form: moto reads the count from the raw body.
      c.setRequestProperty("Content-Type", "text/plain");
      try (OutputStream out = c.getOutputStream()) {
        out.write("0".getBytes(StandardCharsets.UTF_8));
      }
      if (c.getResponseCode() != 200) {
        throw new IllegalStateException("moto refused reset-auth: " + c.getResponseCode());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
