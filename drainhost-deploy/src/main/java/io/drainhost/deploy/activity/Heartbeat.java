package io.drainhost.deploy.activity;

import io.temporal.activity.ActivityExecutionContext;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats every few seconds while an activity runs: a worker that dies mid-step is noticed
 * within the heartbeat timeout, not the step's whole timeout.
 */
final class Heartbeat implements AutoCloseable {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "drainhost-deploy-heartbeat");
            t.setDaemon(true);
            return t;
          });

  private final ScheduledFuture<?> beats;

  private Heartbeat(ActivityExecutionContext context) {
    beats =
        TIMER.scheduleAtFixedRate(
            () -> {
              try {
                context.heartbeat(null);
              } catch (RuntimeException e) {
                // cancelled or timed out: the activity's own result is what counts
              }
            },
            0,
            3,
            TimeUnit.SECONDS);
  }

  static Heartbeat during(ActivityExecutionContext context) {
    return new Heartbeat(context);
  }

  @Override
  public void close() {
    beats.cancel(false);
  }
}
