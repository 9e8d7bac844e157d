package io.drainhost.tracking;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.common.interceptors.ActivityExecutionContextBase;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;

/**
 * Sees every activity attempt on its own thread: records the thread (so a hand-off can interrupt
 * it) and each heartbeat's details (so a hand-off can pass on the newest checkpoint).
 */
public final class TrackingWorkerInterceptor extends WorkerInterceptorBase {
  private final ActivityAttempts attempts;

  public TrackingWorkerInterceptor(ActivityAttempts attempts) {
    this.attempts = attempts;
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityExecutionContext context;
      private ActivityAttempt attempt;

      @Override
      public void init(ActivityExecutionContext ctx) {
        this.context = ctx;
        super.init(
            new ActivityExecutionContextBase(ctx) {
              @Override
              public <V> void heartbeat(V details) throws ActivityCompletionException {
                if (attempt != null) {
                  attempt.recordHeartbeat(details);
                }
                super.heartbeat(details);
              }
            });
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        byte[] token = context.getTaskToken();
        attempt = attempts.begin(token, Thread.currentThread());
        try {
          return super.execute(input);
        } finally {
          attempts.end(token);
        }
      }
    };
  }
}
