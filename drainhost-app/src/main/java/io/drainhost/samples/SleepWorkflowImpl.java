package io.drainhost.samples;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Version 1 of the sleep workflow. The v2 variants ({@code DRAINHOST_SAMPLES_VARIANT}) change what
 * runs before the activity, to show the replay gate refusing a build that cannot replay running
 * work and accepting the same change behind {@code Workflow.getVersion}. Auto-upgrade under Worker
 * Versioning: a run moves to the current version at its next workflow task, so every version's code
 * must replay the older ones' histories.
 */
public class SleepWorkflowImpl implements SleepWorkflow {
  /** First retry interval: how soon a handed-off attempt starts again elsewhere. */
  static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

  @Override
  public SleepResult sleep(SleepInput input) {
    beforeSleep();
    int seconds = input.seconds();
    // Built per run because the start-to-close timeout depends on the input.
    SleepActivities activities =
        Workflow.newActivityStub(
            SleepActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(seconds + 60L))
                .setHeartbeatTimeout(Duration.ofSeconds(10))
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setInitialInterval(RETRY_INTERVAL)
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofSeconds(10))
                        .build())
                .build());
    return activities.sleep(seconds);
  }

  /** What runs before the activity: nothing in version 1. */
  protected void beforeSleep() {}
}
