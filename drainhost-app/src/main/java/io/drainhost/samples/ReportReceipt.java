package io.drainhost.samples;

/**
 * What a delivered report's run returns.
 *
 * @param deliveredAt when the sink accepted the report (ISO-8601)
 * @param attempts how many delivery attempts it took
 */
public record ReportReceipt(String reportId, String deliveredAt, int attempts) {}
