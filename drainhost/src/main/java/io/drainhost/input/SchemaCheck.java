package io.drainhost.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a JSON value against a schema written by {@link InputSchema} (or the API's own request
 * schemas): exactly the keywords those write, with the semantics the API's fuzzers use. A whole
 * number is an integral JSON number ({@code 5}, not {@code 5.0}); a string's length counts code
 * points; a pattern is searched, not matched, and its {@code $} is the end or a final {@code \n}
 * (Python's reading, not Java's default, which also stops before {@code \r\n} and {@code \u2028}).
 * Its cost is linear in the value: patterns run on RE2/J ({@link LinearPattern}), and a string past
 * its length bounds is refused without running them.
 */
public final class SchemaCheck {
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private SchemaCheck() {}

  /** The problems of {@code value} (named {@code path} in them); empty when it is valid. */
  public static List<String> problems(JsonNode schema, JsonNode value, String path) {
    List<String> problems = new ArrayList<>();
    check(schema, value, path, problems);
    return problems;
  }

  static Pattern compile(String regex) {
    return PATTERNS.computeIfAbsent(regex, LinearPattern::compile);
  }

  private static void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
    if (value.isNull()) {
      if (schema.has("type") && !schema.path("nullable").asBoolean(false)) {
        problems.add(path + " must not be null");
      }
      return;
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "string" -> string(schema, value, path, problems);
      case "integer" -> {
        if (!finite(value)) {
          problems.add(path + " must be a finite number");
        } else if (value.isIntegralNumber()) {
          bounds(schema, value.decimalValue(), path, problems);
        } else {
          problems.add(path + " must be " + range(schema));
        }
      }
      case "number" -> {
        if (value.isNumber() && !finite(value)) {
          problems.add(path + " must be a finite number");
        } else if (value.isNumber()) {
          bounds(schema, value.decimalValue(), path, problems);
        } else {
          problems.add(path + " must be a number");
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          problems.add(path + " must be true or false");
        }
      }
      case "array" -> array(schema, value, path, problems);
      case "object" -> object(schema, value, path, problems);
      default -> {
        // the empty schema: any value
      }
    }
  }

  private static void string(JsonNode schema, JsonNode value, String path, List<String> problems) {
    if (!value.isTextual()) {
      problems.add(path + " must be a string");
      return;
    }
    String text = value.asText();
    if (schema.has("enum")) {
      List<String> names = new ArrayList<>();
      schema.get("enum").forEach(n -> names.add(n.asText()));
      if (!names.contains(text)) {
        problems.add(path + " must be one of " + String.join(", ", names));
      }
      return;
    }
    int length = text.codePointCount(0, text.length());
    if (length < schema.path("minLength").asInt(0)) {
      problems.add(
          path
              + (schema.path("minLength").asInt() == 1
                  ? " must not be empty"
                  : " must have at least " + schema.get("minLength").asInt() + " characters"));
    }
    if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
      problems.add(path + " must have at most " + schema.get("maxLength").asInt() + " characters");
    }
    if (length < schema.path("minLength").asInt(0)
        || (schema.has("maxLength") && length > schema.get("maxLength").asInt())) {
      return; // its patterns are not run on a string that is refused already
    }
    List<String> patterns = new ArrayList<>();
    if (schema.has("pattern")) {
      patterns.add(schema.get("pattern").asText());
    }
    schema.path("allOf").forEach(p -> patterns.add(p.path("pattern").asText()));
    for (String p : patterns) {
      if (!compile(p).matcher(text).find()) {
        problems.add(
            path
                + (p.equals(InputSchema.NOT_BLANK)
                    ? " must not be blank"
                    : schema.has("description")
                        ? " " + schema.get("description").asText()
                        : " must match " + p));
      }
    }
  }

  /** JSON has no Infinity or NaN; a literal past double's range parses as one. */
  public static boolean finite(JsonNode value) {
    return !(value.isDouble() || value.isFloat()) || Double.isFinite(value.doubleValue());
  }

  private static void bounds(
      JsonNode schema, BigDecimal number, String path, List<String> problems) {
    boolean low =
        schema.has("minimum") && number.compareTo(schema.get("minimum").decimalValue()) < 0;
    boolean high =
        schema.has("maximum") && number.compareTo(schema.get("maximum").decimalValue()) > 0;
    if (low || high) {
      problems.add(path + " must be " + range(schema));
    }
  }

  private static String range(JsonNode schema) {
    String what = schema.path("type").asText().equals("integer") ? "a whole number" : "a number";
    if (schema.has("minimum") && schema.has("maximum")) {
      return what
          + " from "
          + schema.get("minimum").asText()
          + " to "
          + schema.get("maximum").asText();
    }
    if (schema.has("minimum")) {
      return what + " of at least " + schema.get("minimum").asText();
    }
    if (schema.has("maximum")) {
      return what + " of at most " + schema.get("maximum").asText();
    }
    return what;
  }

  private static void array(JsonNode schema, JsonNode value, String path, List<String> problems) {
    if (!value.isArray()) {
      problems.add(path + " must be an array");
      return;
    }
    if (value.size() < schema.path("minItems").asInt(0)) {
      problems.add(path + " must have at least " + schema.get("minItems").asInt() + " items");
    }
    if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
      problems.add(path + " must have at most " + schema.get("maxItems").asInt() + " items");
    }
    if (schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        check(schema.get("items"), value.get(i), path + "[" + i + "]", problems);
      }
    }
  }

  private static void object(JsonNode schema, JsonNode value, String path, List<String> problems) {
    if (!value.isObject()) {
      problems.add(path + " must be an object");
      return;
    }
    JsonNode properties = schema.path("properties");
    for (JsonNode name : schema.path("required")) {
      if (!value.has(name.asText())) {
        problems.add(path + "." + name.asText() + " is required");
      }
    }
    JsonNode additional = schema.path("additionalProperties");
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String at = path + "." + field.getKey();
      if (properties.has(field.getKey())) {
        check(properties.get(field.getKey()), field.getValue(), at, problems);
      } else if (additional.isObject()) {
        check(additional, field.getValue(), at, problems);
      } else if (additional.isBoolean() && !additional.asBoolean()) {
        problems.add("unknown field '" + at + "'");
      }
    }
  }
}
