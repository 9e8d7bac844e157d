package io.drainhost.samples;

import io.drainhost.ValidatedInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Input of {@link BenchmarkWorkflow}: {@code {"pattern": "multi-activity" | "timer" |
 * "child-workflow" | "activities-then-wait", "activities": n, "millis": m}}.
 */
public record BenchmarkInput(String pattern, Integer activities, Integer millis)
    implements ValidatedInput {
  public static final Set<String> PATTERNS =
      Set.of("multi-activity", "timer", "child-workflow", "activities-then-wait");

  @Override
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (pattern == null || !PATTERNS.contains(pattern)) {
      problems.add(
          "input.pattern must be one of multi-activity, timer, child-workflow, activities-then-wait");
    }
    if (activities != null && (activities < 0 || activities > 100)) {
      problems.add("input.activities must be from 0 to 100");
    }
    if (millis != null && (millis < 0 || millis > 600_000)) {
      problems.add("input.millis must be from 0 to 600000");
    }
    return problems;
  }

  int activityCount() {
    return activities == null ? 1 : activities;
  }

  int millisOrZero() {
    return millis == null ? 0 : millis;
  }
}
