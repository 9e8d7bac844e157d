package io.drainhost.deploy.plan;

import io.drainhost.deploy.plan.Observed.Routing;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules of {@code rollback}: the version that was current before the current one, if it still
 * has pollers (work routed to a version nobody polls would wait), becomes current again; any ramp
 * ends.
 */
public final class RollbackPlanner {
  private RollbackPlanner() {}

  public static Plan plan(Observed o) {
    Optional<String> mismatch = Identity.mismatch(o, Optional.empty());
    if (mismatch.isPresent()) {
      return Plan.usage(mismatch.get());
    }
    Optional<String> current = o.routing().flatMap(Routing::current);
    if (current.isEmpty()) {
      return Plan.usage("no current version to roll back");
    }
    Optional<String> previous =
        o.versions().values().stream()
            .filter(v -> !v.buildId().equals(current.get()))
            .filter(v -> v.lastCurrentAt().isPresent())
            .max(java.util.Comparator.comparing(v -> v.lastCurrentAt().get()))
            .map(Observed.Version::buildId);
    if (previous.isEmpty()) {
      return Plan.refused(
          "no version was current before " + current.get() + ": nothing to roll back to",
          List.of());
    }
    if (!o.versions().get(previous.get()).polling()) {
      return Plan.refused(
          "the previous version "
              + previous.get()
              + " has no pollers: scale its ECS service up first, then roll back",
          List.of());
    }
    List<Action> actions = new ArrayList<>();
    if (o.routing().flatMap(Routing::ramping).isPresent()) {
      actions.add(new Action.SetRamping("", 0, "a rollback ends any ramp"));
    }
    actions.add(new Action.SetCurrent(previous.get(), "it was current before " + current.get()));
    return Plan.done(previous.get() + " is current again (" + current.get() + " was)", actions);
  }
}
