package io.drainhost.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules of the CloudWatch Embedded Metric Format specification (AWS, "Specification: Embedded
 * metric format") that decide whether CloudWatch extracts metrics from a log line; returns what a
 * line breaks, empty when it is valid.
 */
public final class EmfSpecification {
  private static final Set<String> UNITS =
      Set.of(
          "Seconds",
          "Microseconds",
          "Milliseconds",
          "Bytes",
          "Kilobytes",
          "Megabytes",
          "Gigabytes",
          "Terabytes",
          "Bits",
          "Kilobits",
          "Megabits",
          "Gigabits",
          "Terabits",
          "Percent",
          "Count",
          "Bytes/Second",
          "Kilobytes/Second",
          "Megabytes/Second",
          "Gigabytes/Second",
          "Terabytes/Second",
          "Bits/Second",
          "Kilobits/Second",
          "Megabits/Second",
          "Gigabits/Second",
          "Terabits/Second",
          "Count/Second",
          "None");

  private EmfSpecification() {}

  public static List<String> violations(String line) {
    List<String> v = new ArrayList<>();
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(line);
    } catch (Exception e) {
      return List.of("not a JSON text: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      return List.of("the root node must be an object");
    }
    JsonNode aws = root.get("_aws");
    if (aws == null || !aws.isObject()) {
      return List.of("_aws: required object");
    }
    JsonNode ts = aws.get("Timestamp");
    if (ts == null || !ts.isNumber() || ts.asLong() <= 0) {
      v.add("_aws.Timestamp: required number (milliseconds since the epoch)");
    }
    JsonNode directives = aws.get("CloudWatchMetrics");
    if (directives == null || !directives.isArray()) {
      v.add("_aws.CloudWatchMetrics: required array of MetricDirective objects");
      return v;
    }
    for (JsonNode d : directives) {
      JsonNode ns = d.get("Namespace");
      if (ns == null || !ns.isTextual() || ns.asText().isEmpty() || ns.asText().length() > 1024) {
        v.add("MetricDirective.Namespace: required string of 1 to 1024 characters");
      }
      JsonNode dims = d.get("Dimensions");
      if (dims == null || !dims.isArray()) {
        v.add("MetricDirective.Dimensions: required array of DimensionSets");
      } else {
        for (JsonNode set : dims) {
          if (!set.isArray() || set.size() > 30) {
            v.add("DimensionSet: an array of at most 30 dimension keys");
            continue;
          }
          for (JsonNode key : set) {
            JsonNode target = root.get(key.asText());
            if (!key.isTextual() || target == null || !target.isTextual()) {
              v.add("dimension " + key + ": the root node must have it as a string member");
            }
          }
        }
      }
      JsonNode metrics = d.get("Metrics");
      if (metrics == null || !metrics.isArray() || metrics.isEmpty() || metrics.size() > 100) {
        v.add("MetricDirective.Metrics: required array of 1 to 100 MetricDefinitions");
        continue;
      }
      for (JsonNode m : metrics) {
        JsonNode name = m.get("Name");
        if (name == null || !name.isTextual() || name.asText().isEmpty()) {
          v.add("MetricDefinition.Name: required string");
          continue;
        }
        JsonNode value = root.get(name.asText());
        if (value == null || !(value.isNumber() || value.isArray())) {
          v.add("metric " + name.asText() + ": the root node must have it as a number");
        } else if (value.isNumber() && !Double.isFinite(value.asDouble())) {
          v.add("metric " + name.asText() + ": not a finite number");
        }
        JsonNode unit = m.get("Unit");
        if (unit != null && !UNITS.contains(unit.asText())) {
          v.add("metric " + name.asText() + ": unit " + unit + " is not a CloudWatch unit");
        }
      }
    }
    return v;
  }
}
