package io.drainhost.config;

/**
 * Whether {@code POST /executions} may start a workflow whose id already ran ({@code
 * DRAINHOST_WORKFLOW_ID_REUSE}). {@code REJECT} (default) makes starts idempotent: any execution
 * with that id, running or closed within retention, answers 409 with its runId.
 */
public enum WorkflowIdReuse {
  REJECT,
  ALLOW
}
