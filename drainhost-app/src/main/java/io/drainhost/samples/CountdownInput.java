package io.drainhost.samples;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Input of {@link CountdownWorkflow}: {@code {"steps": n, "seconds": s}}: n timers of s seconds.
 */
public record CountdownInput(
    @NotNull @Min(1) @Max(100) Integer steps, @NotNull @Min(0) @Max(3600) Integer seconds) {}
