package io.drainhost.deploy.workflow;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** How a release's and a sunset's activities are run. */
final class ActivityOptionsFor {
  private ActivityOptionsFor() {}

  /**
   * An observation or an act takes seconds (a few calls to Temporal and AWS), and heartbeats while
   * it runs: a worker that dies in one is noticed in 10 s and the step retried by another worker.
   * An endpoint that keeps failing is retried for about half a minute; then the release stops and
   * says what it leaves.
   */
  static ActivityOptions release() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setHeartbeatTimeout(Duration.ofSeconds(10))
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setBackoffCoefficient(2)
                .setMaximumInterval(Duration.ofSeconds(10))
                .setMaximumAttempts(6)
                .build())
        .build();
  }
}
