package io.drainhost.tracking;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.common.interceptors.ActivityExecutionContextBase;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.time.Duration;

/**
 * Sees every activity attempt on its own thread: records the thread (so a hand-off can interrupt
 * it) and each heartbeat's details (so a hand-off can pass on the newest checkpoint).
 */
public final class TrackingWorkerInterceptor extends WorkerInterceptorBase {
  /** The failure a handed-off attempt's local completion carries; never reaches the workflow. */
  private static final class HandedOffAttempt extends RuntimeException {
    static final HandedOffAttempt INSTANCE = new HandedOffAttempt();

    private HandedOffAttempt() {
      super("handed off by drainhost", null, false, false);
    }
  }

  private final ActivityAttempts attempts;
  private final ActivityDurations durations;

  public TrackingWorkerInterceptor(ActivityAttempts attempts, ActivityDurations durations) {
    this.attempts = attempts;
    this.durations = durations;
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
        long started = System.nanoTime();
        try {
          ActivityOutput output = super.execute(input);
          if (!attempt.handedOff()) {
            // What a drain's prediction learns from: attempts of this type that completed.
            durations.record(
                context.getInfo().getActivityType(), Duration.ofNanos(System.nanoTime() - started));
          }
          // An attempt that ignored its interrupt and finished anyway: its next attempt runs.
          return attempt.handedOff() ? endQuietly() : output;
        } catch (RuntimeException | Error e) {
          if (attempt.handedOff()) {
            return endQuietly();
          }
          throw e;
        } finally {
          attempts.end(token);
        }
      }

      /**
       * A handed-off attempt belongs to its next attempt now. Reporting its interrupted end would
       * make the SDK log two warnings with stack traces (the activity's failure, then the server
       * refusing a report for a task it already closed): an operator reads those as failures. The
       * attempt is completed locally instead, which frees its slot without a report; the one
       * "activity handed off" line tells what happened.
       */
      private ActivityOutput endQuietly() {
        try {
          context.useLocalManualCompletion().fail(HandedOffAttempt.INSTANCE);
        } catch (RuntimeException alreadyClosed) {
          // Expected: the server closed this attempt when it accepted the hand-off.
        }
        return new ActivityOutput(null);
      }
    };
  }
}
