package io.drainhost.samples;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface ReportActivities {
  /** Delivers the report; returns the receipt. Fails retryably while the sink is unavailable. */
  ReportReceipt deliver(ReportDelivery delivery);
}
