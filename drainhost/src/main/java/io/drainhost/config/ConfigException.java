package io.drainhost.config;

import java.util.List;

/**
 * Every configuration problem found at startup, each naming the variable, the value and the rule.
 */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
