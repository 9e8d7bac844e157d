package io.drainhost.deploy.plan;

import io.drainhost.deploy.plan.Observed.Routing;
import io.drainhost.deploy.plan.Observed.Service;
import io.drainhost.deploy.plan.Observed.Status;
import io.drainhost.deploy.plan.Observed.Version;
import java.time.Duration;
import java.util.Optional;

/**
 * The one rule every destructive action obeys (a scale to 0, a deletion, an autoscaling target
 * removed): Temporal must say the version is idle. Planners use it to decide; the actor runs it
 * again on a fresh observation just before each such action, so a pass is never trusted across a
 * pause.
 *
 * <p>Idle means: not current, not ramping, not draining, no open pinned runs. A version Temporal
 * does not list is idle only as a release that never polled, and that takes proof that the
 * deployment is the one its hosts would have joined: it exists, another version is current, none of
 * the build's hosts polled lately, and the service is older than the grace given. A release judging
 * its own build, whose identity it checked before it created anything, needs only the last of
 * those.
 */
public final class Idle {
  private Idle() {}

  /** Who asks: sunset (anything of the deployment), or a release about its own build. */
  public record Rule(Optional<String> ownBuild, Duration neverPolledAfter) {
    public static Rule sunset(Duration scaleDownAfter) {
      return new Rule(Optional.empty(), scaleDownAfter);
    }

    public static Rule release(String buildId) {
      return new Rule(Optional.of(buildId), Duration.ZERO);
    }
  }

  /** Why {@code buildId}'s service must not be scaled down or deleted; empty when it may. */
  public static Optional<String> whyNot(Observed o, String buildId, Rule rule) {
    return whyNot(o, buildId, rule, Optional.empty(), 0);
  }

  /**
   * As {@link #whyNot(Observed, String, Rule)}, for a plan that first ends {@code endingRamp}'s
   * ramp and terminates {@code closingPinned} of its pinned runs (its gates): what is left after
   * those.
   */
  static Optional<String> whyNot(
      Observed o, String buildId, Rule rule, Optional<String> endingRamp, long closingPinned) {
    Optional<Routing> routing = o.routing();
    if (routing.flatMap(Routing::current).filter(buildId::equals).isPresent()) {
      return Optional.of("current");
    }
    if (routing.flatMap(Routing::ramping).filter(buildId::equals).isPresent()
        && endingRamp.filter(buildId::equals).isEmpty()) {
      return Optional.of("ramping");
    }
    Version v = o.versions().get(buildId);
    if (v != null) {
      if (v.status() == Status.CURRENT) {
        return Optional.of("current");
      }
      if (v.status() == Status.DRAINING) {
        return Optional.of("draining (pinned runs may still need it)");
      }
      long pinned = v.openPinnedRuns() - closingPinned;
      if (pinned > 0) {
        return Optional.of(pinned + " open pinned runs");
      }
      return Optional.empty();
    }
    if (o.recentlyPolled().contains(buildId)) {
      return Optional.of(
          "its hosts polled lately, yet "
              + o.scope().temporal()
              + " lists no version "
              + buildId
              + ": not a release that never polled");
    }
    boolean own = rule.ownBuild().filter(buildId::equals).isPresent();
    if (!own) {
      if (routing.isEmpty()) {
        return Optional.of(
            o.scope().temporal()
                + " has no Worker Deployment "
                + o.scope().deployment()
                + ": a release that never polled cannot be told from a live version");
      }
      if (routing.flatMap(Routing::current).isEmpty()) {
        return Optional.of(
            "the deployment has no current version: nothing shows that another version serves");
      }
    }
    Service s = o.services().get(buildId);
    if (s != null) {
      Duration age = Duration.between(s.createdAt(), o.now());
      if (age.compareTo(rule.neverPolledAfter()) < 0) {
        return Optional.of(
            "never polled, created "
                + age.toSeconds()
                + " s ago; scaled down after "
                + rule.neverPolledAfter().toSeconds()
                + " s");
      }
    }
    return Optional.empty();
  }
}
