package io.drainhost.deploy.workflow;

import io.drainhost.deploy.activity.ReleaseActivities;
import io.drainhost.deploy.activity.ReleaseActivities.Acted;
import io.drainhost.deploy.activity.ReleaseActivities.Pass;
import io.drainhost.deploy.plan.Idle;
import io.drainhost.deploy.plan.Observed;
import io.drainhost.deploy.plan.Plan;
import io.drainhost.deploy.plan.Release;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.ContinueAsNewOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The release loop, durable: observe, plan, act, wait; until the plan stops. Each plan that changes
 * something or says something new is recorded in the history (a marker holding the plan: every
 * action with its reason), and so is each act (its input is the plan): the history is the release's
 * audit log. The pause between passes is a timer, cut short by an abort.
 *
 * <p>Workflow code must replay the same: the planners are pure functions of what the activities
 * returned, and they plan on the workflow's clock. A change to a rule that running releases have
 * already passed goes behind {@code Workflow.getVersion}; the controller's replay gate refuses a
 * build that would break a running release before it polls.
 */
public final class ReleaseWorkflowImpl implements ReleaseWorkflow {
  /** How long a release waits between two passes. */
  static final Duration PASS_PAUSE = Duration.ofSeconds(2);

  /** Progress lines kept (the history keeps them all). */
  static final int KEPT_LINES = 200;

  /** A run's history past this many events continues as new (a long rollback window). */
  static final int HISTORY_LIMIT = 4000;

  /** Acts interrupted in a row (the worker died, an endpoint failed) before the release stops. */
  static final int INTERRUPTIONS = 5;

  private final ReleaseActivities activities =
      Workflow.newActivityStub(ReleaseActivities.class, ActivityOptionsFor.release());

  private ReleaseRequest request;
  private final List<String> lines = new ArrayList<>();
  private long firstLine;
  private Optional<String> abortedBy = Optional.empty();
  private String state = "starting";

  @Override
  public Outcome run(ReleaseRequest req) {
    request = req;
    firstLine = req.carried().firstLine();
    lines.addAll(req.carried().lines());
    if (abortedBy.isEmpty()) {
      abortedBy = req.carried().abortedBy();
    }
    String last = req.carried().lastMessage();
    int interrupted = 0;
    Observed seen = null;
    while (true) {
      Pass pass;
      try {
        pass = activities.observe(req.cluster(), req.deployment(), req.release(), req.sources());
      } catch (ActivityFailure f) {
        return ended(Failures.of(f), seen);
      }
      Observed o = pass.observed().at(Instant.ofEpochMilli(Workflow.currentTimeMillis()));
      seen = o;
      Plan plan = req.plan(o, pass.findings(), abortedBy);
      state = plan.message();
      if (plan.exitCode() == Plan.USAGE) {
        return outcome(Plan.USAGE, plan.message());
      }
      if (!plan.actions().isEmpty() || !plan.message().equals(last)) {
        Workflow.sideEffect(Plan.class, () -> plan);
        say(req.kind().command() + ": " + plan.message());
        last = plan.message();
      }
      if (!plan.actions().isEmpty()) {
        Acted acted;
        try {
          acted =
              activities.act(
                  new ReleaseActivities.ActRequest(
                      req.cluster(), req.deployment(), plan, o, idleRule(), req.sources()));
        } catch (ActivityFailure f) {
          Failures.Failure failure = Failures.of(f);
          failure.lines().forEach(this::say);
          return ended(failure, o);
        }
        acted.lines().forEach(this::say);
        if (acted.interrupted().isPresent()) {
          if (++interrupted >= INTERRUPTIONS) {
            return outcome(Plan.UNAVAILABLE, acted.interrupted().get() + left(o));
          }
          // What was done is observed again; the stale rest of the plan is never replayed.
          last = "";
          Workflow.sleep(PASS_PAUSE);
          continue;
        }
        interrupted = 0;
      }
      if (plan.stops()) {
        if (plan.exitCode() == Plan.DONE && req.kind() == ReleaseRequest.Kind.DEPLOY) {
          scheduleSunset();
        }
        return outcome(plan.exitCode(), plan.message());
      }
      if (Workflow.getInfo().getHistoryLength() > HISTORY_LIMIT
          || Workflow.getInfo().isContinueAsNewSuggested()) {
        Workflow.continueAsNew(
            ContinueAsNewOptions.newBuilder()
                .setMemo(Map.of("command", req.kind().command(), "buildId", req.buildId()))
                .build(),
            req.carrying(new ReleaseRequest.Carried(firstLine, lines, abortedBy, last)));
      }
      boolean aborting = abortedBy.isPresent();
      Workflow.await(PASS_PAUSE, () -> abortedBy.isPresent() != aborting);
    }
  }

  /**
   * A deployment released with drainhost-deploy retires its old versions on its own: a Schedule,
   * made once. Failing to make it does not fail the release, which is done; the line says so.
   */
  private void scheduleSunset() {
    try {
      activities.scheduleSunset(request.cluster(), request.deployment()).ifPresent(this::say);
    } catch (ActivityFailure f) {
      say(
          "the sunset schedule was not made ("
              + Failures.of(f).message()
              + "): drainhost-deploy sunset --every 15m makes it");
    }
  }

  @Override
  public void abort(String by) {
    if (abortedBy.isEmpty()) {
      abortedBy = Optional.of(by);
    }
  }

  @Override
  public Progress progress() {
    return request == null
        ? new Progress("", "", state, 0, List.of(), abortedBy.isPresent())
        : new Progress(
            request.kind().command(),
            request.buildId(),
            state,
            firstLine,
            lines,
            abortedBy.isPresent());
  }

  private Idle.Rule idleRule() {
    return request
        .release()
        .map(r -> Idle.Rule.release(r.buildId()))
        .orElse(Idle.Rule.sunset(Duration.ZERO));
  }

  private void say(String line) {
    lines.add(line);
    while (lines.size() > KEPT_LINES) {
      lines.remove(0);
      firstLine++;
    }
  }

  private Outcome outcome(int exitCode, String message) {
    return new Outcome(exitCode, message, firstLine, lines);
  }

  private Outcome ended(Failures.Failure f, Observed seen) {
    return outcome(
        f.exitCode(), f.exitCode() == Plan.UNAVAILABLE ? f.message() + left(seen) : f.message());
  }

  /** What the release leaves, as last seen, and what to do about it. */
  private String left(Observed seen) {
    if (request.release().isEmpty()) {
      return "; re-run the rollback";
    }
    Release r = request.release().get();
    if (seen == null) {
      return "; the release stopped before it saw the deployment: nothing of it was changed";
    }
    Observed.Service s = seen.services().get(r.buildId());
    Optional<Observed.Routing> routing = seen.routing();
    String traffic =
        routing.flatMap(Observed.Routing::current).filter(r.buildId()::equals).isPresent()
            ? "current"
            : routing.flatMap(Observed.Routing::ramping).filter(r.buildId()::equals).isPresent()
                ? "ramping at " + routing.get().rampPercent() + "%"
                : "no traffic";
    return "; the release stopped; as last seen "
        + r.version()
        + " has "
        + (s == null
            ? "no ECS service"
            : "ECS service " + s.name() + " at " + s.desired() + " task(s)")
        + " and "
        + traffic
        + ": run the same command again to carry on, or drainhost-deploy abort to roll it back";
  }
}
