package io.drainhost.deploy.activity;

import io.drainhost.deploy.act.Actor;
import io.drainhost.deploy.check.Finding;
import io.drainhost.deploy.plan.Idle;
import io.drainhost.deploy.plan.Observed;
import io.drainhost.deploy.plan.Plan;
import io.drainhost.deploy.plan.Release;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;
import java.util.Optional;

/**
 * What a release workflow asks of the world: to look (Temporal, ECS, Application Auto Scaling) and
 * to act on a plan. Both run in any worker of the tool's task queue.
 */
@ActivityInterface
public interface ReleaseActivities {
  /**
   * What one pass saw, and for a build whose service is about to be created, its settings' check.
   */
  record Pass(Observed observed, List<Finding> findings) {
    public Pass {
      findings = List.copyOf(findings);
    }
  }

  /** A plan to carry out, with the observation it was planned on. */
  record ActRequest(
      String cluster,
      String deployment,
      Plan plan,
      Observed observed,
      Idle.Rule idle,
      Actor.Sources sources) {}

  /**
   * What acting printed, and, when it did not finish, why: the workflow then observes again and
   * plans from what was done, never replaying a stale plan.
   */
  record Acted(List<String> lines, Optional<String> interrupted) {
    public Acted {
      lines = List.copyOf(lines);
    }
  }

  @ActivityMethod
  Pass observe(String cluster, String deployment, Optional<Release> release, Actor.Sources sources);

  @ActivityMethod
  Acted act(ActRequest request);

  /**
   * The deployment's sunset Schedule, with the defaults, unless it has one: what a release that
   * made its build current leaves behind. The line to print, if one was created.
   */
  @ActivityMethod
  Optional<String> scheduleSunset(String cluster, String deployment);
}
