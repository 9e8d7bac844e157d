package io.drainhost.input;

import java.util.List;

/**
 * A workflow input type that can check itself. When a workflow's parameter type implements this,
 * {@code POST /executions} rejects an input with problems as 400 {@code invalid_request} instead of
 * starting a workflow that can only fail.
 */
public interface ValidatedInput {
  /** Human-readable problems with this input; empty when it is valid. */
  List<String> problems();
}
