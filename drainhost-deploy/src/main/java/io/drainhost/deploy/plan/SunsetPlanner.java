package io.drainhost.deploy.plan;

import io.drainhost.deploy.plan.Observed.Routing;
import io.drainhost.deploy.plan.Observed.Service;
import io.drainhost.deploy.plan.Observed.Status;
import io.drainhost.deploy.plan.Observed.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The rules of {@code sunset}, as one pure function of what a pass observed. A version out of use
 * for {@code scaleDownAfter} (drained, or inactive and never current) has its autoscaling target
 * deregistered, then its service scaled to 0; past {@code deleteAfter} its service and its version
 * are deleted. A release that never polled (a failed one) is retired the same way, counted from its
 * service's creation. Never the current or ramping version, never one that is draining or has open
 * pinned runs, and a version Temporal does not list only when {@link Idle} proves it a release that
 * never polled. Nothing at all when ECS and Temporal disagree on what the deployment is ({@link
 * Identity}). Every kept version says why.
 */
public final class SunsetPlanner {
  private SunsetPlanner() {}

  public static Plan plan(Observed o, Duration scaleDownAfter, Duration deleteAfter) {
    Optional<String> mismatch = Identity.mismatch(o, Optional.empty());
    if (mismatch.isPresent()) {
      return Plan.usage(mismatch.get());
    }
    Idle.Rule rule = Idle.Rule.sunset(scaleDownAfter);
    List<Action> actions = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    Optional<String> current = o.routing().flatMap(Routing::current);
    Optional<String> ramping = o.routing().flatMap(Routing::ramping);
    TreeSet<String> buildIds = new TreeSet<>(o.versions().keySet());
    buildIds.addAll(o.services().keySet());
    for (String b : buildIds) {
      Version v = o.versions().get(b);
      Service s = o.services().get(b);
      if (current.filter(b::equals).isPresent() || ramping.filter(b::equals).isPresent()) {
        continue;
      }
      Optional<String> busy = Idle.whyNot(o, b, rule);
      if (busy.isPresent()) {
        kept.add(b + ": " + busy.get());
        continue;
      }
      Optional<Instant> since;
      String what;
      if (v == null) {
        since = Optional.of(s.createdAt());
        what = "never polled (a release that did not make it)";
      } else if (v.retiredSince().isEmpty()) {
        kept.add(b + ": " + v.status().name().toLowerCase() + ", not retired");
        continue;
      } else {
        since = v.retiredSince();
        what = v.status() == Status.DRAINED ? "drained" : "inactive and never current";
      }
      Duration retired = Duration.between(since.get(), o.now());
      if (retired.compareTo(scaleDownAfter) < 0) {
        kept.add(
            b
                + ": "
                + what
                + " "
                + retired.toSeconds()
                + " s ago; scaled down after "
                + scaleDownAfter.toSeconds()
                + " s");
        continue;
      }
      String reason = what + " for " + retired.toSeconds() + " s";
      if (s != null && s.scaling()) {
        actions.add(
            new Action.DeregisterScaling(s.name(), b, reason + "; first, or it scales back up"));
      }
      if (s != null && s.desired() > 0) {
        actions.add(new Action.ScaleService(s.name(), b, 0, reason));
        continue; // its tasks drain now; a later run deletes it
      }
      if (retired.compareTo(deleteAfter) < 0) {
        continue;
      }
      String deleting = reason + ", past --delete-after " + deleteAfter.toSeconds() + " s";
      if (s != null) {
        actions.add(new Action.DeleteService(s.name(), b, deleting));
      }
      if (v != null) {
        actions.add(new Action.DeleteVersion(b, deleting));
      }
    }
    return Plan.done(
        kept.isEmpty() ? "nothing else to retire" : "kept: " + String.join("; ", kept), actions);
  }
}
