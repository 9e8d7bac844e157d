package io.drainhost.temporal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * A gRPC interceptor that sees a call's request and its answer and changes neither: what the host
 * learns from every call on its channel, the SDK's own included.
 */
abstract class CallObserver implements ClientInterceptor {
  /** Whether calls of this method are seen at all; the others pass untouched. */
  boolean observes(MethodDescriptor<?, ?> method) {
    return true;
  }

  /**
   * A call ended: its (first) request, when it was sent ({@code System.nanoTime()}), its status.
   */
  abstract void answered(MethodDescriptor<?, ?> method, Object request, long sentAt, Status status);

  @Override
  public final <Q, A> ClientCall<Q, A> interceptCall(
      MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
    ClientCall<Q, A> call = next.newCall(method, options);
    if (!observes(method)) {
      return call;
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      private final long sentAt = System.nanoTime();
      private volatile Object request;

      @Override
      public void start(Listener<A> listener, Metadata headers) {
        super.start(
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                try {
                  answered(method, request, sentAt, status);
                } catch (RuntimeException e) {
                  // An observer never breaks the call it observes.
                }
                super.onClose(status, trailers);
              }
            },
            headers);
      }

      @Override
      public void sendMessage(Q message) {
        if (request == null) {
          request = message;
        }
        super.sendMessage(message);
      }
    };
  }
}
