package io.drainhost.samples;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Greets a name through one activity. Implementations must be deterministic: no clocks, random
 * numbers, threads or I/O in workflow code; all of that goes into activities.
 */
@WorkflowInterface
public interface GreetingWorkflow {
  @WorkflowMethod
  String greet(GreetingInput input);
}
