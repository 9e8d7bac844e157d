package io.drainhost.deploy.workflow;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * One sunset pass of a deployment, started by its Temporal Schedule ({@code drainhost-deploy sunset
 * --every}, or the one {@code deploy} creates): the same planner as the {@code sunset} command,
 * with no pipeline involved.
 */
@WorkflowInterface
public interface SunsetWorkflow {
  record Request(
      String cluster, String deployment, Duration scaleDownAfter, Duration deleteAfter) {}

  @WorkflowMethod
  Outcome run(Request request);
}
