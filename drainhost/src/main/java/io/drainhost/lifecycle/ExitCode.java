package io.drainhost.lifecycle;

/**
 * The process exit codes of a host ({@code serve}) and of its replay check ({@code replay-check}):
 * what ECS, a deployment circuit breaker and a pipeline read of how a process ended.
 */
public enum ExitCode {
  /**
   * {@code serve}: a clean drain, every piece of in-flight work finished or handed back to
   * Temporal. {@code replay-check}: every sampled running history replays on this build.
   */
  CLEAN(0),
  /**
   * Any other fatal error (the port taken, the host failed to start). {@code replay-check}: the
   * check could not run (no Temporal to check against, or it did not answer).
   */
  FAILED(1),
  /** Invalid configuration: one line per problem, naming the setting and the rule. */
  INVALID_CONFIGURATION(2),
  /**
   * The drain could not hand everything back before the deadline; Temporal retries what was left
   * after its timeouts.
   */
  HANDOFF_INCOMPLETE(3),
  /**
   * The replay gate refused this build: running work it would take over does not replay on its code
   * (or has a type it no longer registers). It never polled; a deployment circuit breaker rolls the
   * deployment back.
   */
  REPLAY_REFUSED(4);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The number the process exits with. */
  public int code() {
    return code;
  }
}
