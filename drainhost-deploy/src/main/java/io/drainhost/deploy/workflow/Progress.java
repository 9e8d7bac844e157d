package io.drainhost.deploy.workflow;

import java.util.List;

/**
 * Where a running release is: what it is waiting for or doing now, and its progress lines (the plan
 * lines and each action with its reason, as the pipeline prints them), the last ones, numbered from
 * {@code firstLine}.
 */
public record Progress(
    String command,
    String buildId,
    String state,
    long firstLine,
    List<String> lines,
    boolean abortAsked) {
  public Progress {
    lines = List.copyOf(lines);
  }
}
