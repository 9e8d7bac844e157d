package io.drainhost.samples;

import io.temporal.workflow.Workflow;

/**
 * Version 2 of the sleep workflow, changed the right way: the new wait runs only in runs that reach
 * this point on the new code ({@code Workflow.getVersion}); runs that started on version 1 replay
 * as they ran.
 */
public final class SleepWorkflowV2Patched extends SleepWorkflowImpl {
  static final String SETTLE_CHANGE = "settle-before-sleep";

  @Override
  protected void beforeSleep() {
    if (Workflow.getVersion(SETTLE_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1) {
      Workflow.sleep(SleepWorkflowV2Breaking.SETTLE);
    }
  }
}
