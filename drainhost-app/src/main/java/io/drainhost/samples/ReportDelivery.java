package io.drainhost.samples;

/**
 * One report to deliver.
 *
 * @param reportId the idempotency key: a sink that sees it twice (a retry after a lost answer)
 *     keeps one copy
 */
public record ReportDelivery(String sinkUrl, String reportId, String body) {}
