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

  public ApiError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public static ApiError badRequest(String code, String message) {
    return new ApiError(400, code, message);
  }

  /** No execution has this workflowId. */
  static ApiError workflowNotFound() {
    return new ApiError(404, "not_found", "no workflow execution with this workflowId");
  }

  /** A running execution already has this workflowId. */
  static ApiError alreadyStarted() {
    return new ApiError(
        409, "already_started", "a workflow with this workflowId is already running");
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
