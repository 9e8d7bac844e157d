package io.drainhost.samples;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Sleeps through one heartbeating activity that resumes from its last checkpoint when retried.
 * Implementations must be deterministic: no clocks, random numbers, threads or I/O in workflow
 * code.
 */
@WorkflowInterface
public interface SleepWorkflow {
  @WorkflowMethod
  SleepResult sleep(SleepInput input);
}
