package io.drainhost.samples;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Counts down in timer steps; returns the steps done. Pinned under Worker Versioning: a run stays
 * on the version it started on, so its code may change incompatibly between versions.
 */
@WorkflowInterface
public interface CountdownWorkflow {
  @WorkflowMethod
  int countdown(CountdownInput input);
}
