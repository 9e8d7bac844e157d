package io.drainhost.library;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A user's workflow in the library's own tests: its activity runs on another task queue. */
@WorkflowInterface
public interface ReportWorkflow {
  @WorkflowMethod
  String run(String name);
}
