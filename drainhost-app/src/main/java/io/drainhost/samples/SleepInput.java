package io.drainhost.samples;

import io.drainhost.ValidatedInput;
import java.util.List;

/** Input of {@link SleepWorkflow}: {@code {"seconds": n}} with n from 0 to 3600. */
public record SleepInput(Integer seconds) implements ValidatedInput {
  public static final int MAX_SECONDS = 3600;

  @Override
  public List<String> problems() {
    if (seconds == null || seconds < 0 || seconds > MAX_SECONDS) {
      return List.of("input.seconds must be a whole number from 0 to " + MAX_SECONDS);
    }
    return List.of();
  }
}
