package io.drainhost.deploy;

/** A reason the command stops, with the exit code a pipeline reads. */
final class DeployException extends RuntimeException {
  /** Wrong arguments or configuration. */
  static final int USAGE = 2;

  /** An endpoint could not be reached or refused the call; nothing was decided. */
  static final int UNAVAILABLE = 1;

  /** The rollout stopped on evidence: the gate failed, or the new version failed while ramping. */
  static final int REFUSED = 3;

  final int exitCode;

  DeployException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }
}
