package io.drainhost.deploy.temporal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Remembers the last Temporal call that failed, by its operation, so that the line a failure prints
 * names it beside the address and namespace.
 */
public final class TemporalCallFailures implements ClientInterceptor {
  private static volatile String lastOperation = "";

  @Override
  public <Q, A> ClientCall<Q, A> interceptCall(
      MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<A> listener, Metadata headers) {
        super.start(
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                if (!status.isOk()) {
                  lastOperation = method.getBareMethodName();
                }
                super.onClose(status, trailers);
              }
            },
            headers);
      }
    };
  }

  /** One line: where ({@code scope}: the address and namespace), the operation, the status. */
  public static String describe(String scope, StatusRuntimeException e) {
    return scope
        + ": "
        + (lastOperation.isEmpty() ? "a call" : lastOperation)
        + " failed ("
        + e.getStatus().getCode()
        + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription())
        + (e.getStatus().getCause() == null ? "" : " <- " + e.getStatus().getCause())
        + ")";
  }
}
