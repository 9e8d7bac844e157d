package io.drainhost.samples;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Input of {@link BenchmarkWorkflow}: {@code {"pattern": "multi-activity" | "timer" |
 * "child-workflow" | "activities-then-wait", "activities": n, "millis": m}}.
 */
public record BenchmarkInput(
    @NotNull @Pattern(regexp = "multi-activity|timer|child-workflow|activities-then-wait")
        String pattern,
    @Min(0) @Max(100) Integer activities,
    @Min(0) @Max(600_000) Integer millis) {

  int activityCount() {
    return activities == null ? 1 : activities;
  }

  int millisOrZero() {
    return millis == null ? 0 : millis;
  }
}
