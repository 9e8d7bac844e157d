package io.drainhost.samples;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface SleepActivities {
  /** Sleeps {@code seconds} in one-second steps, heartbeating the seconds done so far. */
  SleepResult sleep(int seconds);
}
