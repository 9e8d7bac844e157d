package io.drainhost.tracking;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.common.interceptors.ActivityExecutionContextBase;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.internal.activity.InternalActivityExecutionContext;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Sees every activity attempt on its own thread: records the thread (so a hand-off can interrupt
 * it) and each heartbeat's details (so a hand-off can pass on the newest checkpoint).
 */
public final class TrackingWorkerInterceptor extends WorkerInterceptorBase {
  private final ActivityAttempts attempts;
  private final ActivityDurations durations;

  private final BooleanSupplier namespaceThrottled;

  /**
   * @param namespaceThrottled whether Temporal is refusing this host's calls for load now: a
   *     heartbeat that can wait then does (see {@link ActivityAttempt#heartbeatMayWait})
   */
  public TrackingWorkerInterceptor(
      ActivityAttempts attempts, ActivityDurations durations, BooleanSupplier namespaceThrottled) {
    this.attempts = attempts;
    this.durations = durations;
    this.namespaceThrottled = namespaceThrottled;
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
                  // While the namespace is throttled, heartbeats make way for other hosts'
                  // hand-offs (Temporal ranks them above): one is sent only as often as the
                  // heartbeat timeout needs, with the newest details, not first thing and every
                  // 0.8 × timeout. Cancellation then reaches the attempt at that pace.
                  long now = System.nanoTime();
                  boolean mayWait =
                      namespaceThrottled.getAsBoolean() && attempt.heartbeatMayWait(now);
                  attempt.recordHeartbeat(details, now);
                  if (attempt.departing() || mayWait) {
                    return; // the hand-off, or a later heartbeat, carries these details
                  }
                }
                super.heartbeat(details);
              }
            });
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        byte[] token = context.getTaskToken();
        Duration heartbeatTimeout = context.getInfo().getHeartbeatTimeout();
        attempt =
            attempts.begin(
                token,
                Thread.currentThread(),
                heartbeatTimeout == null ? Duration.ZERO : heartbeatTimeout);
        attempt.onDeparting(() -> stopSdkHeartbeats(context));
        long started = System.nanoTime();
        try {
          ActivityOutput output = super.execute(input);
          if (!attempt.handedOff()) {
            // What a drain's prediction learns from: attempts of this type that completed.
            durations.record(
                context.getInfo().getActivityType(), Duration.ofNanos(System.nanoTime() - started));
          }
          // An attempt that ignored its interrupt and finished anyway: its next attempt runs.
          return attempt.released() ? endQuietly() : output;
        } catch (RuntimeException | Error e) {
          if (attempt.released()) {
            return endQuietly();
          }
          throw e;
        } finally {
          attempts.end(token);
        }
      }

      /**
       * Cancels the heartbeat the SDK scheduled (its throttle sends the newest details every 0.8 ×
       * heartbeat timeout, so an activity that heartbeats often always has one pending). Only the
       * SDK's own context can: behind another interceptor's wrapper, only new heartbeats stop.
       */
      private void stopSdkHeartbeats(ActivityExecutionContext ctx) {
        if (ctx instanceof InternalActivityExecutionContext internal) {
          internal.cancelOutstandingHeartbeat();
        }
      }

      /**
       * A handed-off (or left) attempt belongs to its next attempt now. Reporting its interrupted
       * end would make the SDK log two warnings with stack traces (the activity's failure, then the
       * server refusing a report for a task it already closed): an operator reads those as
       * failures. The attempt ends as an asynchronous completion instead: the SDK frees its slot
       * and sends nothing. (Local manual completion, used before, sent the failure anyway, through
       * the SDK's retryer: on a throttled namespace one more call per hand-off, each spending a
       * token the hand-offs needed and holding the thread until its retries gave up.)
       */
      private ActivityOutput endQuietly() {
        context.doNotCompleteOnReturn();
        return new ActivityOutput(null);
      }
    };
  }
}
