package io.drainhost.schedules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.time.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code DRAINHOST_SCHEDULES} file: a JSON array of declarations. Every problem is
 * reported, each naming the schedule and the field, so one edit fixes the file.
 */
public final class ScheduleFile {
  private static final Set<String> FIELDS =
      Set.of(
          "id", "workflowType", "input", "cron", "every", "timeZone", "misfirePolicy", "tolerance");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The declarations, or the problems that make the file invalid. */
  public record Result(List<ScheduleDeclaration> declarations, List<String> problems) {}

  private ScheduleFile() {}

  public static Result read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      return new Result(List.of(), List.of("cannot read the file: " + e.getMessage()));
    }
    return parse(text);
  }

  public static Result parse(String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return new Result(
          List.of(), List.of("not valid JSON: " + e.getOriginalMessage().split("\n")[0]));
    }
    if (root == null || !root.isArray()) {
      return new Result(List.of(), List.of("must be a JSON array of schedule declarations"));
    }
    List<ScheduleDeclaration> declarations = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      declaration(root.get(i), i, problems).ifPresent(declarations::add);
      if (root.get(i).path("id").isTextual()) {
        ids.add(root.get(i).get("id").asText());
      }
    }
    problems.addAll(duplicates(ids));
    return new Result(declarations, problems);
  }

  /** Problems of ids declared twice. */
  public static List<String> duplicates(List<String> ids) {
    Set<String> seen = new HashSet<>();
    Set<String> reported = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (String id : ids) {
      if (!seen.add(id) && reported.add(id)) {
        problems.add("schedule '" + id + "': id is declared twice");
      }
    }
    return problems;
  }

  private static Optional<ScheduleDeclaration> declaration(
      JsonNode node, int index, List<String> problems) {
    if (!node.isObject()) {
      problems.add("schedule #" + (index + 1) + ": must be a JSON object");
      return Optional.empty();
    }
    String id = node.path("id").isTextual() ? node.get("id").asText() : "#" + (index + 1);
    String name = "schedule '" + id + "'";
    int before = problems.size();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        problems.add(name + ": unknown field '" + field + "'");
      }
    }
    Optional<String> cron = text(node, "cron", name, problems);
    Optional<Duration> every = duration(node, "every", name, problems);
    Optional<Duration> tolerance = duration(node, "tolerance", name, problems);
    Optional<String> zone = text(node, "timeZone", name, problems);
    MisfirePolicy policy =
        text(node, "misfirePolicy", name, problems)
            .map(
                p ->
                    MisfirePolicy.parse(p)
                        .orElseGet(
                            () -> {
                              problems.add(
                                  name
                                      + ": misfirePolicy '"
                                      + p
                                      + "' is unknown; use one of "
                                      + MisfirePolicy.choices());
                              return null;
                            }))
            .orElse(null);
    if (!node.path("id").isTextual()) {
      problems.add(name + ": id is required (a string)");
    }
    String workflowType = text(node, "workflowType", name, problems).orElse(null);
    ScheduleDeclaration d =
        new ScheduleDeclaration(
            id,
            workflowType,
            node.get("input"),
            cron,
            every,
            zone.orElse(null),
            policy,
            tolerance.orElse(null));
    if (problems.size() == before) {
      problems.addAll(d.problems());
    }
    return problems.size() == before ? Optional.of(d) : Optional.empty();
  }

  private static Optional<String> text(
      JsonNode node, String field, String name, List<String> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      problems.add(name + ": " + field + " must be a string");
      return Optional.empty();
    }
    return Optional.of(v.asText());
  }

  private static Optional<Duration> duration(
      JsonNode node, String field, String name, List<String> problems) {
    return text(node, field, name, problems)
        .flatMap(
            v -> {
              try {
                return Optional.of(Durations.parse(v));
              } catch (IllegalArgumentException e) {
                problems.add(name + ": " + field + " '" + v + "' " + e.getMessage());
                return Optional.empty();
              }
            });
  }
}
