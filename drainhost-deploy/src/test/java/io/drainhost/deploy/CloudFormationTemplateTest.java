package io.drainhost.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ecs/cloudformation/drainhost.yaml passes cfn-lint (CI installs it pinned and sets
 * DRAINHOST_REQUIRE_CFN_LINT), and says what the shipped JSON files say: its task definition is
 * ecs/task-definition.json field by field, its service and target group are
 * ecs/service-settings.json's, and its derived settings follow the rules the host and
 * drainhost-deploy check.
 */
class CloudFormationTemplateTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The two variables drainhost-deploy sets on every version's revision; the file has neither. */
  private static final Set<String> PER_VERSION =
      Set.of("DRAINHOST_DEPLOYMENT_NAME", "DRAINHOST_BUILD_ID");

  @Test
  void theTemplatePassesCfnLintWithNoErrorAndNoWarning() {
    CloudFormationTemplate.Result r = CloudFormationTemplate.lint(CloudFormationTemplate.FILE);
    assertEquals(0, r.exit(), r.output());
  }

  @Test
  void itsTaskDefinitionIsTheShippedOneFieldByField() throws IOException {
    JsonNode file = read("ecs/task-definition.json");
    CloudFormationTemplate t = asTheFileWouldHaveIt(file);
    JsonNode fromTemplate = CloudFormationTemplate.apiShape(t.properties("TaskDefinition"));
    ArrayNode env = (ArrayNode) fromTemplate.at("/containerDefinitions/0/environment");
    for (Iterator<JsonNode> i = env.elements(); i.hasNext(); ) {
      if (PER_VERSION.contains(i.next().path("name").asText())) {
        i.remove();
      }
    }
    assertEquals(
        List.of(), differences("", file, fromTemplate), "template vs ecs/task-definition.json");
  }

  @Test
  void itsServiceAndTargetGroupAreTheShippedSettings() throws IOException {
    JsonNode settings = read("ecs/service-settings.json");
    CloudFormationTemplate t = asTheFileWouldHaveIt(read("ecs/task-definition.json"));
    ObjectNode service =
        (ObjectNode) CloudFormationTemplate.apiShape(t.properties("FirstVersionService"));
    // The account's and the stack's own: not in the settings file.
    for (String own :
        List.of("serviceName", "cluster", "taskDefinition", "networkConfiguration", "tags")) {
      service.remove(own);
    }
    ((ObjectNode) service.at("/loadBalancers/0")).remove("targetGroupArn");
    assertEquals(List.of(), differences("service", settings.path("service"), service));

    ObjectNode targetGroup = (ObjectNode) t.properties("TargetGroup").deepCopy();
    targetGroup.remove("VpcId");
    targetGroup.set("Attributes", targetGroup.remove("TargetGroupAttributes"));
    assertEquals(List.of(), differences("targetGroup", settings.path("targetGroup"), targetGroup));
  }

  @Test
  void theLoadBalancerChecksReadinessNotLiveness() throws IOException {
    CloudFormationTemplate t = asTheFileWouldHaveIt(read("ecs/task-definition.json"));
    // /health is 503 while starting, during the replay gate and while draining; /health/live
    // never is: a target group on it would route to a task that is leaving.
    assertEquals("/health", t.properties("TargetGroup").path("HealthCheckPath").asText());
    assertEquals(
        "8080",
        t.properties("TargetGroup").path("Port").asText(),
        "the target group's port is the container's HTTP port");
    assertEquals("/health/live", healthCheckPathOf(t.properties("TaskDefinition")));
  }

  @Test
  void everyDerivedSettingFollowsItsRule() throws IOException {
    JsonNode file = read("ecs/task-definition.json");
    JsonNode template = CloudFormationTemplate.decoded();
    List<String> broken = new ArrayList<>();
    for (JsonNode stop : template.at("/Parameters/StopTimeout/AllowedValues")) {
      CloudFormationTemplate t = asTheFileWouldHaveIt(file, Map.of("StopTimeout", stop.asText()));
      JsonNode tg = t.properties("TargetGroup");
      int delay = 0;
      for (JsonNode a : tg.path("TargetGroupAttributes")) {
        if (a.path("Key").asText().equals("deregistration_delay.timeout_seconds")) {
          delay = a.path("Value").asInt();
        }
      }
      int lbSilence = seconds(env(t, "DRAINHOST_LB_SILENCE_AFTER"));
      int stopSeconds = Integer.parseInt(stop.asText());
      // The host stops polling when the checks stop, then has a stop timeout's worth to finish.
      if (delay != lbSilence + stopSeconds) {
        broken.add(
            "stop "
                + stop
                + " s: deregistration delay "
                + delay
                + " s, not "
                + (lbSilence + stopSeconds));
      }
      if (seconds(env(t, "DRAINHOST_STOP_TIMEOUT")) != stopSeconds
          || t.properties("TaskDefinition").at("/ContainerDefinitions/0/StopTimeout").asInt()
              != stopSeconds) {
        broken.add(
            "stop " + stop + " s: the container's stopTimeout and DRAINHOST_STOP_TIMEOUT differ");
      }
    }
    for (JsonNode replay : template.at("/Parameters/ReplayTimeout/AllowedValues")) {
      CloudFormationTemplate t =
          asTheFileWouldHaveIt(file, Map.of("ReplayTimeout", replay.asText()));
      int grace = t.properties("FirstVersionService").path("HealthCheckGracePeriodSeconds").asInt();
      JsonNode tg = t.properties("TargetGroup");
      int covers =
          5
              + seconds(env(t, "DRAINHOST_REPLAY_TIMEOUT"))
              + tg.path("HealthyThresholdCount").asInt()
                  * tg.path("HealthCheckIntervalSeconds").asInt();
      if (grace < covers) {
        broken.add(
            "replay " + replay + " s: grace " + grace + " s does not cover " + covers + " s");
      }
    }
    // A shutdown timeout the rules allow for a stop timeout leaves the 3 s hand-off margin.
    for (Map.Entry<String, JsonNode> rule : iterable(template.path("Rules").fields())) {
      if (!rule.getKey().startsWith("ShutdownFits")) {
        continue;
      }
      String stop = rule.getValue().at("/RuleCondition/Fn::Equals/1").asText();
      for (JsonNode allowed : rule.getValue().at("/Assertions/0/Assert/Fn::Contains/0")) {
        if (Integer.parseInt(allowed.asText()) + 3 > Integer.parseInt(stop)) {
          broken.add(
              rule.getKey() + ": shutdown " + allowed.asText() + " s + 3 s > stop " + stop + " s");
        }
      }
    }
    assertEquals(List.of(), broken);
  }

  /**
   * Insecure needs a deliberate yes: the template's Rules refuse an internet-facing API without a
   * certificate (plain HTTP on a public listener) or without a token, unless AllowInsecureApi is
   * true. cfn-lint checks the Rules' form, not their outcome for given values, so this evaluates
   * them (Fn::Equals, Not, And, Or, Contains over the parameters and their defaults), as
   * CloudFormation does before it creates anything.
   */
  @Test
  void theExecutionRolePullsOnlyTheImagesRepository() {
    String pulls = CloudFormationTemplate.decoded().at("/Resources/ExecutionRole").toString();
    assertTrue(pulls.contains(":repository/${ImageRepositoryName}\""), pulls);
    assertFalse(pulls.contains("repository/*"), pulls);
  }

  @Test
  void aPublicInsecureApiIsRefusedUnlessAllowedOnPurpose() {
    JsonNode template = CloudFormationTemplate.decoded();
    String cert = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";
    String token = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:token";
    Map<String, Map<String, String>> refused =
        Map.of(
            "public, no certificate",
            Map.of("LoadBalancerScheme", "internet-facing", "ApiTokenSecretArn", token),
            "public, no token",
            Map.of("LoadBalancerScheme", "internet-facing", "CertificateArn", cert),
            "public, neither",
            Map.of("LoadBalancerScheme", "internet-facing"));
    for (var c : refused.entrySet()) {
      assertFalse(failedAssertions(template, c.getValue()).isEmpty(), c.getKey() + " is refused");
    }
    assertTrue(
        failedAssertions(template, Map.of("LoadBalancerScheme", "internet-facing"))
            .containsAll(List.of("PublicApiIsSecure#0", "PublicApiIsSecure#1")));
    for (Map<String, String> accepted :
        List.of(
            Map.of("LoadBalancerScheme", "internet-facing", "AllowInsecureApi", "true"),
            Map.of(
                "LoadBalancerScheme",
                "internet-facing",
                "CertificateArn",
                cert,
                "ApiTokenSecretArn",
                token),
            Map.<String, String>of())) {
      assertEquals(List.of(), failedAssertions(template, accepted), accepted + " is accepted");
    }
    assertEquals(
        "redirect",
        template.at("/Resources/HttpRedirectListener/Properties/DefaultActions/0/Type").asText());
    assertEquals(
        "HasCertificate", template.at("/Resources/HttpRedirectListener/Condition").asText());
  }

  /** The rules' assertions that fail for these parameters (the rest at their defaults). */
  private static List<String> failedAssertions(JsonNode template, Map<String, String> given) {
    Map<String, String> values = new java.util.HashMap<>();
    template
        .path("Parameters")
        .fields()
        .forEachRemaining(p -> values.put(p.getKey(), p.getValue().path("Default").asText("")));
    values.putAll(given);
    List<String> failed = new ArrayList<>();
    for (Map.Entry<String, JsonNode> rule : iterable(template.path("Rules").fields())) {
      JsonNode condition = rule.getValue().path("RuleCondition");
      if (!condition.isMissingNode() && !truth(condition, values)) {
        continue;
      }
      JsonNode assertions = rule.getValue().path("Assertions");
      for (int i = 0; i < assertions.size(); i++) {
        if (!truth(assertions.get(i).path("Assert"), values)) {
          failed.add(rule.getKey() + "#" + i);
        }
      }
    }
    return failed;
  }

  private static boolean truth(JsonNode f, Map<String, String> values) {
    String fn = f.fieldNames().next();
    JsonNode args = f.get(fn);
    return switch (fn) {
      case "Fn::Equals" -> value(args.get(0), values).equals(value(args.get(1), values));
      case "Fn::Not" -> !truth(args.get(0), values);
      case "Fn::And" -> {
        boolean all = true;
        for (JsonNode a : args) {
          all &= truth(a, values);
        }
        yield all;
      }
      case "Fn::Or" -> {
        boolean any = false;
        for (JsonNode a : args) {
          any |= truth(a, values);
        }
        yield any;
      }
      case "Fn::Contains" -> {
        String v = value(args.get(1), values);
        boolean in = false;
        for (JsonNode a : args.get(0)) {
          in |= value(a, values).equals(v);
        }
        yield in;
      }
      default ->
          throw new IllegalArgumentException("a rule function this test does not know: " + fn);
    };
  }

  private static String value(JsonNode v, Map<String, String> values) {
    return v.has("Ref") ? values.get(v.get("Ref").asText()) : v.asText();
  }

  /** Parameter values that make the template describe what the file describes. */
  static CloudFormationTemplate asTheFileWouldHaveIt(JsonNode file) {
    return asTheFileWouldHaveIt(file, Map.of());
  }

  static CloudFormationTemplate asTheFileWouldHaveIt(JsonNode file, Map<String, String> more) {
    JsonNode c = file.at("/containerDefinitions/0");
    Map<String, String> env = new LinkedHashMap<>();
    c.path("environment").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("VpcId", "vpc-0123456789abcdef0");
    parameters.put("TaskSubnetIds", "subnet-0a,subnet-0b");
    parameters.put("LoadBalancerSubnetIds", "subnet-1a,subnet-1b");
    parameters.put("DeploymentName", file.path("family").asText());
    parameters.put("BuildId", "v1");
    parameters.put("Image", c.path("image").asText());
    parameters.put("ImageRepositoryName", "drainhost");
    parameters.put("TaskQueue", env.get("DRAINHOST_TASK_QUEUE"));
    parameters.put("TaskCpu", file.path("cpu").asText());
    parameters.put("TaskMemory", file.path("memory").asText());
    parameters.put("TemporalAddress", env.get("TEMPORAL_ADDRESS"));
    parameters.put("TemporalNamespace", env.get("TEMPORAL_NAMESPACE"));
    parameters.put("TemporalApiKeySecretArn", c.at("/secrets/0/valueFrom").asText());
    parameters.put("StopTimeout", c.path("stopTimeout").asText());
    parameters.put(
        "ShutdownTimeout", Integer.toString(seconds(env.get("DRAINHOST_SHUTDOWN_TIMEOUT"))));
    parameters.put(
        "ReplayTimeout",
        Integer.toString(seconds(env.getOrDefault("DRAINHOST_REPLAY_TIMEOUT", "30s"))));
    parameters.putAll(more);
    String logGroup = c.at("/logConfiguration/options/awslogs-group").asText();
    return CloudFormationTemplate.resolvedWith(
        parameters,
        Map.of(
            "AWS::Region",
            c.at("/logConfiguration/options/awslogs-region").asText(),
            "AWS::StackName",
            logGroup.substring(logGroup.lastIndexOf('/') + 1),
            "AWS::Partition",
            "aws",
            "AWS::AccountId",
            "123456789012"),
        Map.of(
            "LogGroup", TextNode.valueOf(logGroup),
            "Cluster", TextNode.valueOf("drainhost"),
            "TaskDefinition",
                TextNode.valueOf("arn:aws:ecs:eu-west-1:123456789012:task-definition/drainhost:1"),
            "TaskSecurityGroup", TextNode.valueOf("sg-0123"),
            "TargetGroup",
                TextNode.valueOf(
                    "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/drainhost/0123")),
        Map.of(
            "ExecutionRole.Arn", file.path("executionRoleArn").asText(),
            "TaskRole.Arn", file.path("taskRoleArn").asText()));
  }

  /**
   * Where {@code actual} differs from {@code expected}, one line per field: scalars compare as text
   * (CloudFormation passes numbers as strings), environment and secrets by name (their order means
   * nothing to ECS), everything else exactly.
   */
  static List<String> differences(String path, JsonNode expected, JsonNode actual) {
    List<String> out = new ArrayList<>();
    if (expected.isObject() && actual.isObject()) {
      Set<String> names = new java.util.TreeSet<>();
      expected.fieldNames().forEachRemaining(names::add);
      actual.fieldNames().forEachRemaining(names::add);
      for (String n : names) {
        if (n.startsWith("_")) {
          continue; // a file's comment
        }
        String p = path.isEmpty() ? n : path + "." + n;
        if (!expected.has(n)) {
          out.add(p + ": only in the template: " + actual.get(n));
        } else if (!actual.has(n)) {
          out.add(p + ": missing in the template (file: " + expected.get(n) + ")");
        } else {
          out.addAll(differences(p, expected.get(n), actual.get(n)));
        }
      }
    } else if (expected.isArray() && actual.isArray()) {
      if (path.endsWith("environment") || path.endsWith("secrets")) {
        return differences(path, byName(expected), byName(actual));
      }
      if (expected.size() != actual.size()) {
        out.add(
            path
                + ": "
                + expected.size()
                + " elements in the file, "
                + actual.size()
                + " in the template");
      }
      for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
        out.addAll(differences(path + "[" + i + "]", expected.get(i), actual.get(i)));
      }
    } else if (expected.isValueNode() && actual.isValueNode()) {
      if (!expected.asText().equals(actual.asText())) {
        out.add(path + ": file " + expected + ", template " + actual);
      }
    } else {
      out.add(path + ": file " + expected + ", template " + actual);
    }
    return out;
  }

  private static JsonNode byName(JsonNode list) {
    ObjectNode out = JSON.createObjectNode();
    for (JsonNode e : list) {
      out.set(e.path("name").asText(), e.has("value") ? e.get("value") : e.get("valueFrom"));
    }
    return out;
  }

  private static String healthCheckPathOf(JsonNode taskDefinition) {
    String command = taskDefinition.at("/ContainerDefinitions/0/HealthCheck/Command/3").asText();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("GET (\\S+) HTTP").matcher(command);
    return m.find() ? m.group(1) : command;
  }

  private static String env(CloudFormationTemplate t, String name) {
    for (JsonNode e : t.properties("TaskDefinition").at("/ContainerDefinitions/0/Environment")) {
      if (e.path("Name").asText().equals(name)) {
        return e.path("Value").asText();
      }
    }
    throw new AssertionError(name + " not in the template's environment");
  }

  private static int seconds(String duration) {
    if (!duration.endsWith("s")) {
      throw new AssertionError("not in seconds: " + duration);
    }
    return Integer.parseInt(duration.substring(0, duration.length() - 1));
  }

  private static <T> Iterable<T> iterable(Iterator<T> it) {
    return () -> it;
  }

  static JsonNode read(String file) throws IOException {
    return JSON.readTree(DeploySuite.ROOT.resolve(Path.of(file)).toFile());
  }
}
