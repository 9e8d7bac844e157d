package io.drainhost.samples;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;

public class SleepActivitiesImpl implements SleepActivities {
  @Override
  public SleepResult sleep(int seconds) {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    int resumedFrom = ctx.getHeartbeatDetails(Integer.class).orElse(0);
    try {
      for (int done = resumedFrom; done < seconds; done++) {
        Thread.sleep(1000);
        ctx.heartbeat(done + 1);
      }
    } catch (InterruptedException e) {
      // A drain handed this attempt off; the next attempt resumes from the last heartbeat. The
      // interrupt flag stays clear on purpose: with it set the SDK can fail to report
      // (sdk-java#731).
      throw Activity.wrap(e);
    }
    return new SleepResult(seconds, ctx.getInfo().getAttempt(), resumedFrom);
  }
}
