package com.example.orders;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** What {@code POST /executions} takes for an order; the host checks it against this type. */
public record OrderInput(
    @NotBlank String customer, @NotNull @Min(1) @Max(100) Integer quantity) {}
