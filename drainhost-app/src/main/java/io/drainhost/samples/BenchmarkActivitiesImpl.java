package io.drainhost.samples;

import io.temporal.activity.Activity;

public class BenchmarkActivitiesImpl implements BenchmarkActivities {
  @Override
  public void work(int millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw Activity.wrap(e);
    }
  }
}
