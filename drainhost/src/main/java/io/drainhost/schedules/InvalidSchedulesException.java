package io.drainhost.schedules;

import java.util.List;

/**
 * Schedule declarations that cannot be bound to this host's workflow types, one problem each. The
 * host reports them as configuration problems (exit 2) beside those of the environment.
 */
public final class InvalidSchedulesException extends RuntimeException {
  private final List<String> problems;

  public InvalidSchedulesException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
