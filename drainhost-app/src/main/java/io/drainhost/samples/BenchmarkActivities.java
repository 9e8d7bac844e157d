package io.drainhost.samples;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface BenchmarkActivities {
  /** Works (sleeps) for {@code millis}. */
  void work(int millis);
}
