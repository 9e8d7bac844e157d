package io.drainhost.samples;

import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Version 2 of the countdown, changed incompatibly: each step is two half-length timers. A v1 run
 * cannot replay on it; as a pinned type, no v1 run ever comes to it under Worker Versioning.
 */
public final class CountdownWorkflowV2 extends CountdownWorkflowImpl {
  @Override
  protected void step(Duration length) {
    Workflow.sleep(length.dividedBy(2));
    Workflow.sleep(length.dividedBy(2));
  }
}
