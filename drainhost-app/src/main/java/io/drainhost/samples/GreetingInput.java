package io.drainhost.samples;

import jakarta.validation.constraints.NotBlank;

/** Input of {@link GreetingWorkflow}: {@code {"name": "Ada"}}. */
public record GreetingInput(@NotBlank String name) {}
