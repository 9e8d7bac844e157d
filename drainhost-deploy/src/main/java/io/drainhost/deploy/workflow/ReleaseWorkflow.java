package io.drainhost.deploy.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A release of one deployment (deploy, rollout or rollback), run by Temporal: pass after pass it
 * observes (an activity), plans (the planners, in workflow code, on the workflow's clock) and acts
 * (an activity), with a durable timer between passes. It outlives the pipeline step that started
 * it; one runs per deployment ({@link ReleaseRequest#workflowId}).
 */
@WorkflowInterface
public interface ReleaseWorkflow {
  /** The task queue of the tool's own workers: the controller, or a deploy's local worker. */
  String TASK_QUEUE = "drainhost-deploy";

  @WorkflowMethod
  Outcome run(ReleaseRequest request);

  /**
   * Roll the release back: its ramp ends and its service goes to 0 once idle; after promotion, the
   * version current before it is current again.
   */
  @SignalMethod
  void abort(String by);

  @QueryMethod
  Progress progress();
}
