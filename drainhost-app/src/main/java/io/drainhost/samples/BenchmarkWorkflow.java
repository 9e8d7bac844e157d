package io.drainhost.samples;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The shapes of work the {@code bench} command measures beyond greeting and sleep: several
 * activities in a row, a durable timer, a child workflow. Deterministic: only Temporal APIs.
 */
@WorkflowInterface
public interface BenchmarkWorkflow {
  /** Returns the number of activities this run (and its children) executed. */
  @WorkflowMethod
  int run(BenchmarkInput input);
}
