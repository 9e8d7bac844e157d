package io.drainhost.deploy;

/** A reason the command stops, with the exit code a pipeline reads. */
public final class DeployException extends RuntimeException {
  /** Wrong arguments or configuration. */
  public static final int USAGE = 2;

  /** An endpoint could not be reached or refused the call; nothing was decided. */
  public static final int UNAVAILABLE = 1;

  /** The rollout stopped on evidence: the gate failed, or the new version failed while ramping. */
  public static final int REFUSED = 3;

  /** Another release of the deployment runs: nothing of this one was started. */
  public static final int BUSY = 4;

  public final int exitCode;

  public DeployException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }
}
