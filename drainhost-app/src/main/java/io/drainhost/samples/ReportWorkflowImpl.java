package io.drainhost.samples;

import io.drainhost.time.Durations;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;

public class ReportWorkflowImpl implements ReportWorkflow {
  static final Duration DEFAULT_DELIVER_WITHIN = Duration.ofHours(6);

  @Override
  public ReportReceipt report(ReportInput input) {
    Duration within =
        input.deliverWithin() == null
            ? DEFAULT_DELIVER_WITHIN
            : Durations.parse(input.deliverWithin());
    ReportActivities delivery =
        Workflow.newActivityStub(
            ReportActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                // Retry for as long as the run allows; a sink that is down for a while must not
                // fail the run (nothing would alert, and the report would never arrive).
                .setScheduleToCloseTimeout(within)
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofSeconds(30))
                        .setDoNotRetry(ReportActivitiesImpl.REJECTED)
                        .build())
                .build());
    String reportId = Workflow.getInfo().getWorkflowId();
    String body =
        "{\"report\":"
            + quote(input.report())
            + ",\"reportId\":"
            + quote(reportId)
            + ",\"composedAt\":"
            + quote(java.time.Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString())
            + "}";
    ReportReceipt receipt = delivery.deliver(new ReportDelivery(input.sinkUrl(), reportId, body));
    // Where an operator looks first: the run's memo says when the report finally arrived.
    Workflow.upsertMemo(Map.of("deliveredAt", receipt.deliveredAt()));
    Workflow.getLogger(ReportWorkflowImpl.class)
        .info(
            "report delivered: reportId={} attempts={} deliveredAt={}",
            reportId,
            receipt.attempts(),
            receipt.deliveredAt());
    return receipt;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
