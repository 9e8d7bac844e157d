package io.drainhost.http;

/**
 * An error answered to the client as {@code {"error": code, "message": text}}. Thrown from route
 * handlers; {@link HttpServer} turns it into the response. Never carries a stack trace out.
 */
public final class ApiError extends RuntimeException {
  /** Seconds a client should wait before retrying a 503. */
  static final int RETRY_AFTER_SECONDS = 1;

  private final int status;
  private final String code;
  private final String runId;

  public ApiError(int status, String code, String message) {
    this(status, code, message, null);
  }

  private ApiError(int status, String code, String message, String runId) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.runId = runId;
  }

  public static ApiError badRequest(String code, String message) {
    return new ApiError(400, code, message);
  }

  /** No execution has this workflowId. */
  static ApiError workflowNotFound() {
    return new ApiError(404, "not_found", "no workflow execution with this workflowId");
  }

  /**
   * An execution already has this workflowId, running or closed within retention; {@code runId} is
   * that execution's, so a client that retried its POST can follow it.
   */
  static ApiError alreadyStarted(String runId) {
    return new ApiError(
        409,
        "already_started",
        "an execution with this workflowId already exists (running, or closed within the namespace's"
            + " retention): starts are idempotent",
        runId == null || runId.isEmpty() ? null : runId);
  }

  /** The existing execution's runId of a 409 {@code already_started}, or null. */
  public String runId() {
    return runId;
  }

  public static ApiError unavailable(String code, String message) {
    return new ApiError(503, code, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
