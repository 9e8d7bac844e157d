package io.drainhost.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The shipped CloudFormation template as CloudFormation reads it: decoded by cfn-lint's own parser
 * (its YAML short forms, {@code !Ref}, {@code !Sub} …, become the long forms), then resolved for
 * given parameter values as CloudFormation would: Ref, Fn::Sub, Fn::FindInMap, Fn::If with its
 * conditions, Fn::GetAtt and Fn::Join. Enough of the language for this template; an intrinsic it
 * does not know fails the test rather than passing through.
 */
final class CloudFormationTemplate {
  static final Path FILE = DeploySuite.ROOT.resolve("ecs/cloudformation/drainhost.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode NO_VALUE = TextNode.valueOf("\u0000AWS::NoValue");
  private static final Pattern SUB = Pattern.compile("\\$\\{([A-Za-z0-9:.]+)}");

  /** Property maps whose keys are the user's (an option, a label), not CloudFormation's. */
  private static final Set<String> FREE_FORM = Set.of("Options", "DockerLabels");

  private final JsonNode template;
  private final Map<String, String> parameters;
  private final Map<String, String> pseudo;
  private final Map<String, JsonNode> physicalIds;
  private final Map<String, String> attributes;

  private CloudFormationTemplate(
      JsonNode template,
      Map<String, String> parameters,
      Map<String, String> pseudo,
      Map<String, JsonNode> physicalIds,
      Map<String, String> attributes) {
    this.template = template;
    this.parameters = parameters;
    this.pseudo = pseudo;
    this.physicalIds = physicalIds;
    this.attributes = attributes;
  }

  /**
   * The template for these parameter values (the rest at their defaults), in a stack whose pseudo
   * parameters ({@code AWS::Region} …), resources' Refs and attributes ({@code Role.Arn}) are
   * given.
   */
  static CloudFormationTemplate resolvedWith(
      Map<String, String> parameters,
      Map<String, String> pseudo,
      Map<String, JsonNode> physicalIds,
      Map<String, String> attributes) {
    return new CloudFormationTemplate(decoded(), parameters, pseudo, physicalIds, attributes);
  }

  private static JsonNode decoded;

  /** The decoded template, long forms only (decoded once: cfn-lint takes seconds to load). */
  static synchronized JsonNode decoded() {
    if (decoded == null) {
      decoded = decode();
    }
    return decoded.deepCopy();
  }

  private static JsonNode decode() {
    Result r =
        python(
            "import json, sys\n"
                + "from cfnlint.decode import decode_str\n"
                + "template, problems = decode_str(open(sys.argv[1]).read())\n"
                + "if problems:\n"
                + "    sys.exit('cannot decode: ' + str(problems))\n"
                + "print(json.dumps(template))\n",
            FILE.toAbsolutePath().toString());
    if (r.exit() != 0) {
      throw new IllegalStateException(r.output());
    }
    try {
      return JSON.readTree(r.output());
    } catch (IOException e) {
      throw new IllegalStateException(r.output(), e);
    }
  }

  /** cfn-lint on a template file: its exit code and what it printed. */
  static Result lint(Path file) {
    return python(
        "import sys\nfrom cfnlint.runner import main\nsys.argv = ['cfn-lint', sys.argv[1]]\nmain()\n",
        file.toAbsolutePath().toString());
  }

  record Result(int exit, String output) {}

  private static Result python(String program, String argument) {
    try {
      Process p =
          new ProcessBuilder("python3", "-c", program, argument).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("cfn-lint did not finish within 120 s");
      }
      if (p.exitValue() != 0 && out.contains("No module named 'cfnlint'")) {
        if (System.getenv("DRAINHOST_REQUIRE_CFN_LINT") != null) {
          throw new IllegalStateException("cfn-lint not installed: pip install cfn-lint");
        }
        Assumptions.abort("cfn-lint not installed (pip install cfn-lint); template not checked");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A resource's properties, resolved. */
  JsonNode properties(String resource) {
    JsonNode r = template.path("Resources").path(resource);
    if (r.isMissingNode()) {
      throw new IllegalArgumentException("no resource " + resource);
    }
    return resolve(r.path("Properties"));
  }

  /** The template's mapping table, as written. */
  JsonNode mapping(String name) {
    return template.path("Mappings").path(name);
  }

  JsonNode raw() {
    return template;
  }

  /** A parameter's value: given, else its default. */
  String parameter(String name) {
    if (parameters.containsKey(name)) {
      return parameters.get(name);
    }
    JsonNode p = template.path("Parameters").path(name);
    if (p.isMissingNode()) {
      throw new IllegalArgumentException("no parameter " + name);
    }
    if (!p.has("Default")) {
      throw new IllegalArgumentException("parameter " + name + " has no default: give one");
    }
    return p.get("Default").asText();
  }

  JsonNode resolve(JsonNode node) {
    if (node.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      for (JsonNode element : node) {
        JsonNode v = resolve(element);
        if (v != NO_VALUE) {
          out.add(v);
        }
      }
      return out;
    }
    if (!node.isObject()) {
      return node;
    }
    if (node.size() == 1) {
      String key = node.fieldNames().next();
      JsonNode arg = node.get(key);
      switch (key) {
        case "Ref":
          return ref(arg.asText());
        case "Fn::Sub":
          return TextNode.valueOf(sub(arg));
        case "Fn::FindInMap":
          {
            JsonNode args = resolve(arg);
            JsonNode found =
                template
                    .path("Mappings")
                    .path(args.get(0).asText())
                    .path(args.get(1).asText())
                    .path(args.get(2).asText());
            if (found.isMissingNode()) {
              throw new IllegalArgumentException("no mapping entry " + args);
            }
            return found;
          }
        case "Fn::If":
          return condition(arg.get(0).asText()) ? resolve(arg.get(1)) : resolve(arg.get(2));
        case "Fn::GetAtt":
          return TextNode.valueOf(
              attribute(
                  arg.isArray() ? arg.get(0).asText() + "." + arg.get(1).asText() : arg.asText()));
        case "Fn::Join":
          {
            List<String> parts = new ArrayList<>();
            resolve(arg.get(1)).forEach(p -> parts.add(p.asText()));
            return TextNode.valueOf(String.join(arg.get(0).asText(), parts));
          }
        default:
          if (key.startsWith("Fn::") || key.equals("Condition")) {
            throw new IllegalArgumentException("intrinsic not resolved here: " + key);
          }
      }
    }
    ObjectNode out = JSON.createObjectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode v = resolve(f.getValue());
      if (v != NO_VALUE) {
        out.set(f.getKey(), v);
      }
    }
    return out;
  }

  private JsonNode ref(String name) {
    if (name.equals("AWS::NoValue")) {
      return NO_VALUE;
    }
    if (name.startsWith("AWS::")) {
      return TextNode.valueOf(pseudo(name));
    }
    if (template.path("Parameters").has(name)) {
      JsonNode p = template.path("Parameters").path(name);
      String value = parameter(name);
      if (p.path("Type").asText().startsWith("List<")) {
        ArrayNode list = JSON.createArrayNode();
        for (String v : value.split(",")) {
          list.add(v);
        }
        return list;
      }
      return TextNode.valueOf(value);
    }
    JsonNode id = physicalIds.get(name);
    if (id == null) {
      throw new IllegalArgumentException("no physical id given for " + name);
    }
    return id;
  }

  private String pseudo(String name) {
    String v = pseudo.get(name);
    if (v == null) {
      throw new IllegalArgumentException("pseudo parameter not given: " + name);
    }
    return v;
  }

  private String attribute(String name) {
    String v = attributes.get(name);
    if (v == null) {
      throw new IllegalArgumentException("attribute not given: " + name);
    }
    return v;
  }

  private String sub(JsonNode arg) {
    String text = arg.isArray() ? arg.get(0).asText() : arg.asText();
    // The list form's own variables come first, as CloudFormation resolves them.
    JsonNode variables = arg.isArray() ? arg.path(1) : JSON.createObjectNode();
    Matcher m = SUB.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value =
          variables.has(name)
              ? resolve(variables.get(name)).asText()
              : name.contains(".") && !name.startsWith("AWS::")
                  ? attribute(name)
                  : ref(name).asText();
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private boolean condition(String name) {
    JsonNode c = template.path("Conditions").path(name);
    if (c.isMissingNode()) {
      throw new IllegalArgumentException("no condition " + name);
    }
    return evaluate(c);
  }

  private boolean evaluate(JsonNode c) {
    String key = c.fieldNames().next();
    JsonNode arg = c.get(key);
    switch (key) {
      case "Fn::Equals":
        return resolve(arg.get(0)).asText().equals(resolve(arg.get(1)).asText());
      case "Fn::Not":
        return !evaluate(arg.get(0));
      case "Fn::Or":
        for (JsonNode a : arg) {
          if (evaluate(a)) {
            return true;
          }
        }
        return false;
      case "Fn::And":
        for (JsonNode a : arg) {
          if (!evaluate(a)) {
            return false;
          }
        }
        return true;
      case "Condition":
        return condition(arg.asText());
      default:
        throw new IllegalArgumentException("condition function not resolved here: " + key);
    }
  }

  /**
   * CloudFormation's property names as the ECS API's JSON spells them ({@code ContainerPort} →
   * {@code containerPort}); the keys of free-form maps (log options, labels) stay as they are.
   */
  static JsonNode apiShape(JsonNode node) {
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(e -> out.add(apiShape(e)));
      return out;
    }
    if (!node.isObject()) {
      return node;
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    node.fields()
        .forEachRemaining(
            f -> {
              String key = Character.toLowerCase(f.getKey().charAt(0)) + f.getKey().substring(1);
              out.set(key, FREE_FORM.contains(f.getKey()) ? f.getValue() : apiShape(f.getValue()));
            });
    return out;
  }
}
