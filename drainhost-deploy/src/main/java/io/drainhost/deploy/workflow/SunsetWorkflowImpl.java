package io.drainhost.deploy.workflow;

import io.drainhost.deploy.act.Actor;
import io.drainhost.deploy.activity.ReleaseActivities;
import io.drainhost.deploy.activity.ReleaseActivities.Acted;
import io.drainhost.deploy.plan.Idle;
import io.drainhost.deploy.plan.Observed;
import io.drainhost.deploy.plan.Plan;
import io.drainhost.deploy.plan.SunsetPlanner;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Observe, plan with {@link SunsetPlanner} on the workflow's clock, act; the plan in the history.
 */
public final class SunsetWorkflowImpl implements SunsetWorkflow {
  private final ReleaseActivities activities =
      Workflow.newActivityStub(ReleaseActivities.class, ActivityOptionsFor.release());

  @Override
  public Outcome run(Request q) {
    List<String> lines = new ArrayList<>();
    try {
      Observed o =
          activities
              .observe(q.cluster(), q.deployment(), Optional.empty(), Actor.Sources.none())
              .observed()
              .at(Instant.ofEpochMilli(Workflow.currentTimeMillis()));
      Plan plan = SunsetPlanner.plan(o, q.scaleDownAfter(), q.deleteAfter());
      Workflow.sideEffect(Plan.class, () -> plan);
      if (!plan.actions().isEmpty() && plan.exitCode() != Plan.USAGE) {
        Acted acted =
            activities.act(
                new ReleaseActivities.ActRequest(
                    q.cluster(),
                    q.deployment(),
                    plan,
                    o,
                    Idle.Rule.sunset(q.scaleDownAfter()),
                    Actor.Sources.none()));
        lines.addAll(acted.lines());
        if (acted.interrupted().isPresent()) {
          return new Outcome(Plan.UNAVAILABLE, acted.interrupted().get(), 0, lines);
        }
      }
      lines.add("sunset: " + plan.message());
      return new Outcome(plan.exitCode(), plan.message(), 0, lines);
    } catch (ActivityFailure f) {
      Failures.Failure failure = Failures.of(f);
      lines.addAll(failure.lines());
      return new Outcome(failure.exitCode(), failure.message(), 0, lines);
    }
  }
}
