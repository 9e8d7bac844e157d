package io.drainhost.samples;

import io.temporal.common.VersioningBehavior;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowVersioningBehavior;
import java.time.Duration;

/** Version 1 of the countdown: one timer per step. */
public class CountdownWorkflowImpl implements CountdownWorkflow {
  @Override
  @WorkflowVersioningBehavior(VersioningBehavior.PINNED)
  public int countdown(CountdownInput input) {
    for (int i = 0; i < input.steps(); i++) {
      step(Duration.ofSeconds(input.seconds()));
    }
    return input.steps();
  }

  protected void step(Duration length) {
    Workflow.sleep(length);
  }
}
