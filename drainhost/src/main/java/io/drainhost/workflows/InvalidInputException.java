package io.drainhost.workflows;

import java.util.List;

/** A workflow input that does not fit the workflow's parameters, with every problem named. */
public final class InvalidInputException extends RuntimeException {
  private final List<String> problems;

  InvalidInputException(List<String> problems) {
    super(String.join("; ", problems), null, false, false);
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
