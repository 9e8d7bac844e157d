package io.drainhost.temporal;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Locale;

/**
 * Sees the answer of every call on the host's channel (the SDK's polls and heartbeats as much as
 * the host's own calls) and reports the ones Temporal refused for load.
 */
final class ThrottledCallCounter extends CallObserver {
  private final TemporalThrottling throttling;

  ThrottledCallCounter(TemporalThrottling throttling) {
    this.throttling = throttling;
  }

  @Override
  void answered(MethodDescriptor<?, ?> method, Object request, long sentAt, Status status) {
    if (isThrottling(status)) {
      String name = method.getBareMethodName() == null ? "" : method.getBareMethodName();
      throttling.refused(CallKind.of(name), name, status.getDescription());
    }
  }

  /**
   * RESOURCE_EXHAUSTED from the server. gRPC also uses the code for a message over the size limit,
   * found on this side or the server's: that is a payload problem, not throttling.
   */
  static boolean isThrottling(Status status) {
    if (status.getCode() != Status.Code.RESOURCE_EXHAUSTED) {
      return false;
    }
    String description =
        status.getDescription() == null ? "" : status.getDescription().toLowerCase(Locale.ROOT);
    return !description.contains("exceeds maximum") && !description.contains("larger than max");
  }
}
