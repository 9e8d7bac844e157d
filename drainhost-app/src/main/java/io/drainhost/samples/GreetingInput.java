package io.drainhost.samples;

import io.drainhost.ValidatedInput;
import java.util.List;

/** Input of {@link GreetingWorkflow}: {@code {"name": "Ada"}}. */
public record GreetingInput(String name) implements ValidatedInput {
  @Override
  public List<String> problems() {
    return name == null || name.isBlank()
        ? List.of("input.name must be a non-empty string")
        : List.of();
  }
}
