package io.drainhost.samples;

import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Version 2 of the sleep workflow, changed the wrong way: it waits a moment before the activity. A
 * run that started on version 1 has already scheduled its activity, so replaying its history with
 * this code makes a timer where the history has an activity: a non-determinism error.
 */
public final class SleepWorkflowV2Breaking extends SleepWorkflowImpl {
  static final Duration SETTLE = Duration.ofMillis(200);

  @Override
  protected void beforeSleep() {
    Workflow.sleep(SETTLE);
  }
}
