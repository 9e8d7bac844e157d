package io.drainhost.deploy.plan;

import io.drainhost.deploy.check.Finding;
import io.drainhost.deploy.plan.Observed.GateRun;
import io.drainhost.deploy.plan.Observed.Routing;
import io.drainhost.deploy.plan.Observed.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules of a release, as one pure function of what a pass observed: {@link #plan} returns the
 * actions to take now and whether to observe again. A re-run after an interruption observes and
 * plans again, so it carries on where the last run stopped. The rules, in the order they apply:
 *
 * <ol>
 *   <li>the version is current: watch its rollback window, if any, then done;
 *   <li>it has no service: check the settings it would copy, then register its task definition,
 *       create its service and copy the current version's autoscaling;
 *   <li>its service is at 0, or Temporal says it was ramped once and taken back (never current, no
 *       longer ramping): a release that failed before; nothing more to do;
 *   <li>it does not poll yet: wait, until its pollers are overdue or ECS gave up on its tasks (a
 *       build the replay gate refuses never polls) — then the release fails;
 *   <li>no version is current: its gate, then current;
 *   <li>otherwise ramp step by step, each after its gate, each watched for failures; then current.
 * </ol>
 *
 * Before all of them, ECS and Temporal must agree on what the deployment is ({@link Identity}).
 *
 * <p>A release that fails leaves nothing running that Temporal says is idle: its ramp ends, its
 * gates are terminated, and, when {@link Idle} allows it, its autoscaling target is deregistered
 * and its service scaled to 0. A version Temporal still calls draining keeps its service; the plan
 * says so, and {@code sunset} retires it once drained.
 */
public final class DeployPlanner {
  private DeployPlanner() {}

  /**
   * @param findings the check of the settings a new service would copy (the current version's, or
   *     the files): an error refuses the release before anything is created
   */
  public static Plan plan(Observed o, Release r, List<Finding> findings) {
    Optional<String> mismatch = Identity.mismatch(o, Optional.of(r));
    if (mismatch.isPresent()) {
      return Plan.usage(mismatch.get());
    }
    String b = r.buildId();
    Optional<Routing> routing = o.routing();
    Optional<String> current = routing.flatMap(Routing::current);
    Service service = o.services().get(b);
    if (current.filter(b::equals).isPresent()) {
      return promoted(o, r);
    }
    if (service == null) {
      return create(o, r, findings, current);
    }
    List<Action> catchUp = copyScalingIfMissing(o, r, service, current);
    if (service.desired() == 0) {
      return failedBefore(o, r, service);
    }
    Observed.Version version = o.versions().get(b);
    // Current it is not (promoted() answered that above): only its own ramp still routes to it.
    if (version != null
        && version.lastCurrentAt().isEmpty()
        && version.firstActivatedAt().isPresent()
        && routing.flatMap(Routing::ramping).filter(b::equals).isEmpty()) {
      return takenBack(o, r, service);
    }
    if (!o.pollsLikeCurrent(b)) {
      return awaitPollers(o, r, service, catchUp);
    }
    if (current.isEmpty()) {
      return first(o, r, service, catchUp);
    }
    return ramp(o, r, service, catchUp);
  }

  /**
   * A release rolled back on request ({@code abort}): before promotion it fails as a release that
   * did not make it (its ramp ends, its gates are terminated, its service goes to 0 once idle);
   * after, the version current before it is current again, as a breach in its rollback window would
   * do.
   */
  public static Plan abort(Observed o, Release r, String by) {
    Optional<String> mismatch = Identity.mismatch(o, Optional.of(r));
    if (mismatch.isPresent()) {
      return Plan.usage(mismatch.get());
    }
    String why = r.version() + " aborted by " + by;
    if (o.routing().flatMap(Routing::current).filter(r.buildId()::equals).isPresent()) {
      Optional<String> previous = previous(o, r.buildId());
      if (previous.isEmpty()) {
        return Plan.refused(
            why
                + " after its promotion; no earlier version with pollers to roll back to: it stays"
                + " current",
            List.of());
      }
      return Plan.refused(
          why + "; rolled back to " + previous.get() + " (" + r.version() + " drains)",
          List.of(new Action.SetCurrent(previous.get(), "the release was aborted")));
    }
    Service service = o.services().get(r.buildId());
    if (service == null) {
      return Plan.refused(why + " before its service was created: nothing to undo", List.of());
    }
    return fail(o, r, service, why);
  }

  private static Plan promoted(Observed o, Release r) {
    Routing routing = o.routing().orElseThrow();
    Instant watchedUntil = routing.currentChangedAt().plus(r.rollbackWindow());
    if (r.rollbackWindow().isZero() || !o.now().isBefore(watchedUntil)) {
      return Plan.done(r.version() + " is current");
    }
    Optional<Observed.Health> h = o.health();
    if (h.isPresent() && r.failures().trips(h.get())) {
      Optional<String> previous = previous(o, r.buildId());
      String why = r.version() + " failed after its promotion: " + r.failures().describe(h.get());
      if (previous.isEmpty()) {
        return Plan.refused(
            why + "; no earlier version with pollers to roll back to: it stays current", List.of());
      }
      // Its service stays up: runs pinned to it since its promotion need it until they close;
      // it drains, and sunset retires it.
      return Plan.refused(
          why + "; rolled back to " + previous.get() + " (" + r.version() + " drains)",
          List.of(
              new Action.SetCurrent(
                  previous.get(), "roll back within --rollback-window " + r.rollbackWindow())));
    }
    return Plan.waiting("current; watching for failures until " + watchedUntil);
  }

  private static Plan create(
      Observed o, Release r, List<Finding> findings, Optional<String> current) {
    if (r.image().isEmpty()) {
      return Plan.usage(
          "no ECS service tagged with "
              + r.version()
              + ": create the version's service first, or release it with deploy --image");
    }
    List<Finding> errors = findings.stream().filter(Finding::error).toList();
    if (!errors.isEmpty()) {
      return Plan.usage(
          "the settings the new service would copy do not fit drainhost: "
              + errors.stream().map(Finding::line).toList()
              + " (see drainhost-deploy check). Nothing was changed");
    }
    List<Action> actions = new ArrayList<>();
    String from = current.map(c -> "copied from the current version " + c).orElse("from the files");
    actions.add(
        new Action.RegisterTaskDefinition(
            r.buildId(), r.image().get(), "a new build: its task definition, " + from));
    actions.add(
        new Action.CreateService(
            r.serviceName(), r.buildId(), r.desired(), "the version's own service, " + from));
    currentService(o, current)
        .filter(Service::scaling)
        .ifPresent(
            s ->
                actions.add(
                    new Action.CopyScaling(
                        s.name(),
                        s.buildId(),
                        r.serviceName(),
                        r.buildId(),
                        "the current version scales automatically")));
    return Plan.waiting("created; waiting for " + r.version() + " to poll", actions);
  }

  private static List<Action> copyScalingIfMissing(
      Observed o, Release r, Service service, Optional<String> current) {
    if (service.scaling() || service.desired() == 0) {
      return List.of();
    }
    return currentService(o, current)
        .filter(Service::scaling)
        .<List<Action>>map(
            s ->
                List.of(
                    new Action.CopyScaling(
                        s.name(),
                        s.buildId(),
                        service.name(),
                        r.buildId(),
                        "the current version scales automatically")))
        .orElse(List.of());
  }

  private static Plan failedBefore(Observed o, Release r, Service service) {
    Cleanup cleanUp = leaveNothingRunning(o, r, service);
    return Plan.refused(
        "the release of "
            + r.version()
            + " did not make it: its service "
            + service.name()
            + " is at 0 tasks; release a new build (or scale it up and run rollout)"
            + cleanUp.left(),
        cleanUp.actions());
  }

  /**
   * Ramped once, never current, and no longer routed to: a release that failed (or whose ramp was
   * ended by hand). It is not ramped again; a new build is.
   */
  private static Plan takenBack(Observed o, Release r, Service service) {
    Cleanup cleanUp = leaveNothingRunning(o, r, service);
    return Plan.refused(
        "the release of "
            + r.version()
            + " was ramped and taken back (never current, no longer ramping): it is not ramped"
            + " again; release a new build"
            + cleanUp.left(),
        cleanUp.actions());
  }

  private static Plan awaitPollers(Observed o, Release r, Service service, List<Action> catchUp) {
    Duration waited = Duration.between(service.createdAt(), o.now());
    if (service.rolloutFailed()) {
      return fail(
          o,
          r,
          service,
          r.version()
              + " never polled: ECS gave up on its tasks (a build the replay gate refuses exits 4"
              + " before its first poll)");
    }
    if (waited.compareTo(r.pollersTimeout()) > 0) {
      return fail(
          o,
          r,
          service,
          r.version()
              + " does not poll the current version's task queues "
              + waited.toSeconds()
              + " s after its service was created (--pollers-timeout "
              + r.pollersTimeout().toSeconds()
              + " s): are its tasks healthy? a build the replay gate refuses never polls");
    }
    return Plan.waiting("waiting for " + r.version() + " to poll", catchUp);
  }

  private static Plan first(Observed o, Release r, Service service, List<Action> catchUp) {
    Optional<Plan> gate =
        gate(o, r, service, r.onceGateId(), r.gateWorkflow().or(r::stepGate).orElse(""), catchUp);
    if (gate.isPresent()) {
      return gate.get();
    }
    List<Action> actions = new ArrayList<>(catchUp);
    actions.add(new Action.SetCurrent(r.buildId(), "the deployment's first version"));
    return Plan.waiting("made current", actions);
  }

  private static Plan ramp(Observed o, Release r, Service service, List<Action> catchUp) {
    Routing routing = o.routing().orElseThrow();
    boolean ours = routing.ramping().filter(r.buildId()::equals).isPresent();
    float percent = ours ? routing.rampPercent() : 0;
    int step = -1;
    for (int i = 0; i < r.steps().size(); i++) {
      if (percent > 0 && r.steps().get(i).percent() <= percent) {
        step = i;
      }
    }
    int next = 0;
    if (step >= 0) {
      Optional<Observed.Health> h = o.health();
      if (h.isPresent() && r.failures().trips(h.get())) {
        return fail(
            o,
            r,
            service,
            r.version()
                + " failed while ramping at "
                + percent
                + "%: "
                + r.failures().describe(h.get())
                + "; the current version "
                + routing.current().orElse("?")
                + " unchanged");
      }
      Instant until = routing.rampChangedAt().plus(r.steps().get(step).watch());
      if (o.now().isBefore(until)) {
        return Plan.waiting("ramping at " + percent + "%; watching until " + until, catchUp);
      }
      next = step + 1;
    }
    if (next == 0) {
      Optional<Plan> gate = gate(o, r, service, r.onceGateId(), onceGateType(r), catchUp);
      if (gate.isPresent()) {
        return gate.get();
      }
    }
    if (next < r.steps().size()) {
      if (r.stepGate().isPresent()) {
        Optional<Plan> gate = gate(o, r, service, r.stepGateId(next), r.stepGate().get(), catchUp);
        if (gate.isPresent()) {
          return gate.get();
        }
      }
      float to = r.steps().get(next).percent();
      List<Action> actions = new ArrayList<>(catchUp);
      actions.add(
          new Action.SetRamping(
              r.buildId(),
              to,
              "step "
                  + (next + 1)
                  + " of "
                  + r.steps().size()
                  + ", watched for "
                  + r.steps().get(next).watch()));
      return Plan.waiting("ramping to " + to + "%", actions);
    }
    List<Action> actions = new ArrayList<>(catchUp);
    actions.add(
        new Action.SetCurrent(
            r.buildId(),
            r.steps().isEmpty() ? "no ramp steps: at once" : "every ramp step passed"));
    return Plan.waiting("promoted", actions);
  }

  /**
   * The gate before any traffic: {@code --gate-workflow}, or with no ramp steps the step gate (it
   * then guards the one step there is, to current); with steps, their own gates do.
   */
  private static String onceGateType(Release r) {
    return r.gateWorkflow()
        .or(() -> r.steps().isEmpty() ? r.stepGate() : Optional.empty())
        .orElse("");
  }

  /**
   * The gate run {@code id} must have completed before the next change: empty when it has (or no
   * gate is asked for); otherwise the plan that starts it, waits for it, or fails the release.
   */
  private static Optional<Plan> gate(
      Observed o, Release r, Service service, String id, String type, List<Action> catchUp) {
    if (type.isEmpty()) {
      return Optional.empty();
    }
    GateRun run = o.gates().get(id);
    if (run == null) {
      List<Action> actions = new ArrayList<>(catchUp);
      actions.add(
          new Action.StartGate(id, type, r.buildId(), "it must complete before the next step"));
      return Optional.of(Plan.waiting("gate " + id + " started", actions));
    }
    if (run.closed() && run.completed()) {
      return Optional.empty();
    }
    if (run.closed()) {
      return Optional.of(fail(o, r, service, "gate " + id + " failed"));
    }
    if (Duration.between(run.startedAt(), o.now()).compareTo(r.gateTimeout()) > 0) {
      return Optional.of(
          fail(
              o,
              r,
              service,
              "gate " + id + " did not complete within " + r.gateTimeout().toSeconds() + " s"));
    }
    return Optional.of(Plan.waiting("waiting for gate " + id, catchUp));
  }

  /** The release does not make it: nothing of it keeps running, and the tool says so (exit 3). */
  private static Plan fail(Observed o, Release r, Service service, String why) {
    Cleanup cleanUp = leaveNothingRunning(o, r, service);
    return Plan.refused(
        why + "; " + r.version() + " gets no traffic" + cleanUp.left(), cleanUp.actions());
  }

  /** A failed release's clean-up, and what it leaves up with the reason (empty: nothing). */
  private record Cleanup(List<Action> actions, String left) {}

  /**
   * Ends the version's ramp and terminates its open gate runs; then, if Temporal says the version
   * is idle once those are done, deregisters its autoscaling (before the scale to 0: autoscaling
   * would put the tasks back) and scales its service to 0.
   */
  private static Cleanup leaveNothingRunning(Observed o, Release r, Service service) {
    List<Action> actions = new ArrayList<>();
    Optional<String> endingRamp = o.routing().flatMap(Routing::ramping).filter(r.buildId()::equals);
    if (endingRamp.isPresent()) {
      actions.add(new Action.SetRamping("", 0, "the release failed: no traffic to it"));
    }
    long closing = 0;
    for (String id : r.gateIds()) {
      GateRun g = o.gates().get(id);
      if (g != null && !g.closed()) {
        actions.add(new Action.TerminateGate(id, "the release failed"));
        closing++;
      }
    }
    if (service == null || (service.desired() == 0 && !service.scaling())) {
      return new Cleanup(actions, service == null ? "" : " and its service is at 0");
    }
    Optional<String> busy =
        Idle.whyNot(o, r.buildId(), Idle.Rule.release(r.buildId()), endingRamp, closing);
    if (busy.isPresent()) {
      return new Cleanup(
          actions,
          "; its service "
              + service.name()
              + " stays at "
              + service.desired()
              + " task(s): Temporal says "
              + r.buildId()
              + " is "
              + busy.get()
              + " (drainhost-deploy sunset scales it down once it is idle)");
    }
    if (service.scaling()) {
      actions.add(
          new Action.DeregisterScaling(
              service.name(), r.buildId(), "before its scale to 0: it would scale up"));
    }
    if (service.desired() > 0) {
      actions.add(new Action.ScaleService(service.name(), r.buildId(), 0, "the release failed"));
    }
    return new Cleanup(
        actions, " and its service goes to 0 if Temporal still says it is idle just before");
  }

  private static Optional<Service> currentService(Observed o, Optional<String> current) {
    return current.map(o.services()::get);
  }

  /** The version current before {@code buildId} that still has pollers, if any. */
  static Optional<String> previous(Observed o, String buildId) {
    return o.versions().values().stream()
        .filter(v -> !v.buildId().equals(buildId))
        .filter(v -> v.lastCurrentAt().isPresent())
        .filter(Observed.Version::polling)
        .max(java.util.Comparator.comparing(v -> v.lastCurrentAt().get()))
        .map(Observed.Version::buildId);
  }
}
