package io.drainhost.samples;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class BenchmarkWorkflowImpl implements BenchmarkWorkflow {
  private final BenchmarkActivities activities =
      Workflow.newActivityStub(
          BenchmarkActivities.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(11)).build());

  @Override
  public int run(BenchmarkInput input) {
    switch (input.pattern()) {
      case "timer":
        Workflow.sleep(Duration.ofMillis(input.millisOrZero()));
        return 0;
      case "activities-then-wait":
        // A run that stays open with a history of about 6 events per activity: what the replay
        // gate's benchmark replays.
        for (int i = 0; i < input.activityCount(); i++) {
          activities.work(input.millisOrZero());
        }
        Workflow.sleep(Duration.ofHours(1));
        return input.activityCount();
      case "child-workflow":
        return Workflow.newChildWorkflowStub(BenchmarkWorkflow.class)
            .run(new BenchmarkInput("multi-activity", input.activityCount(), input.millisOrZero()));
      default:
        for (int i = 0; i < input.activityCount(); i++) {
          activities.work(input.millisOrZero());
        }
        return input.activityCount();
    }
  }
}
