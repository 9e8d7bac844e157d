package io.drainhost.deploy.workflow;

import java.util.List;

/**
 * How a release (or a sunset pass) ended: the exit code a pipeline reads ({@code
 * drainhost-deploy}'s: 0 done, 1 an endpoint failed, 2 refused before any change, 3 refused on
 * evidence), why, and its last progress lines, numbered from {@code firstLine}.
 */
public record Outcome(int exitCode, String message, long firstLine, List<String> lines) {
  public Outcome {
    lines = List.copyOf(lines);
  }
}
