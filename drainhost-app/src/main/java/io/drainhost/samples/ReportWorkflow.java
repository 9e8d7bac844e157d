package io.drainhost.samples;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A scheduled report that is delivered even when its sink is briefly down: the run composes the
 * report, then delivers it through an activity that Temporal retries with backoff while the sink is
 * unreachable or answers 5xx, for as long as {@code deliverWithin} allows. A 4xx is permanent and
 * fails the run at once (retrying would not help). Deterministic workflow code only.
 */
@WorkflowInterface
public interface ReportWorkflow {
  @WorkflowMethod
  ReportReceipt report(ReportInput input);
}
