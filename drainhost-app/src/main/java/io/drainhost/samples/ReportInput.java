package io.drainhost.samples;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Input of {@link ReportWorkflow}: {@code {"report": "daily-triage", "sinkUrl":
 * "http://reports.internal/inbox", "deliverWithin": "6h"}}.
 *
 * @param deliverWithin how long delivery may keep retrying (a duration such as 6h; default 6h)
 */
public record ReportInput(
    @NotBlank String report,
    @NotNull
        @Pattern(
            regexp = "https?://[A-Za-z0-9](?:[A-Za-z0-9._~:/?#@!$&'()*+,;=-]|%[0-9A-Fa-f]{2})*",
            message = "must be an http(s) URL")
        String sinkUrl,
    @Pattern(
            regexp = "[0-9]{1,6}(?:ms|s|m|h)",
            message = "must be a duration such as 30s, 15m or 6h")
        String deliverWithin) {}
