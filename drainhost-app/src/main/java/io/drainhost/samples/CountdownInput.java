package io.drainhost.samples;

import io.drainhost.ValidatedInput;
import java.util.ArrayList;
import java.util.List;

/**
 * Input of {@link CountdownWorkflow}: {@code {"steps": n, "seconds": s}}: n timers of s seconds.
 */
public record CountdownInput(Integer steps, Integer seconds) implements ValidatedInput {
  @Override
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (steps == null || steps < 1 || steps > 100) {
      problems.add("input.steps must be a whole number from 1 to 100");
    }
    if (seconds == null || seconds < 0 || seconds > 3600) {
      problems.add("input.seconds must be a whole number from 0 to 3600");
    }
    return problems;
  }
}
