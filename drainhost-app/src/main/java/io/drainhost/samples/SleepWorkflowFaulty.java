package io.drainhost.samples;

/**
 * A faulty build of the sleep workflow: its code throws in every workflow task, which Temporal
 * retries without end. What a rollout's watch must catch while the version ramps.
 */
public final class SleepWorkflowFaulty extends SleepWorkflowImpl {
  @Override
  protected void beforeSleep() {
    throw new IllegalStateException("faulty build: SleepWorkflow cannot start");
  }
}
