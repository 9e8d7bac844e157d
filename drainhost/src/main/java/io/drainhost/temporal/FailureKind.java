package io.drainhost.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;

/**
 * How a failed call to Temporal failed. HARD means the server is not there (refused, no route,
 * UNAVAILABLE): re-check the connection at once. SOFT means it is slow or overloaded (deadline,
 * resource exhausted): worth reporting, not proof that it is gone.
 */
public enum FailureKind {
  HARD,
  SOFT,
  NONE;

  public static FailureKind of(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException) {
        Status.Code code = ((StatusRuntimeException) t).getStatus().getCode();
        switch (code) {
          case UNAVAILABLE:
            return HARD;
          case DEADLINE_EXCEEDED:
          case RESOURCE_EXHAUSTED:
          case ABORTED:
          case CANCELLED:
            return SOFT;
          default:
            return NONE;
        }
      }
      if (t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException) {
        return HARD;
      }
    }
    return NONE;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
