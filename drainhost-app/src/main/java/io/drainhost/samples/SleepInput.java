package io.drainhost.samples;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Input of {@link SleepWorkflow}: {@code {"seconds": n}} with n from 0 to 3600. */
public record SleepInput(@NotNull @Min(0) @Max(SleepInput.MAX_SECONDS) Integer seconds) {
  public static final int MAX_SECONDS = 3600;
}
