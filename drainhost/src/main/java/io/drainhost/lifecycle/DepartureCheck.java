package io.drainhost.lifecycle;

import java.util.Optional;

/**
 * What this host's leaving leaves behind, asked while the drain runs (off its path: a slow Temporal
 * must not slow the drain): a warning for the log and the drain report, or none.
 */
public interface DepartureCheck {
  DepartureCheck NONE = Optional::empty;

  Optional<String> warning();
}
