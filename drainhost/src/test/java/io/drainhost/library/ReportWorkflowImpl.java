package io.drainhost.library;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public final class ReportWorkflowImpl implements ReportWorkflow {
  /** The queue of the worker that renders reports; set by the test before the host starts. */
  static volatile String reportsQueue = "reports";

  private final ReportActivities reports =
      Workflow.newActivityStub(
          ReportActivities.class,
          ActivityOptions.newBuilder()
              .setTaskQueue(reportsQueue)
              .setStartToCloseTimeout(Duration.ofSeconds(60))
              .build());

  @Override
  public String run(String name) {
    return reports.render(name);
  }
}
