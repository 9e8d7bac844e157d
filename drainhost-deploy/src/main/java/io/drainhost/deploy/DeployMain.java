package io.drainhost.deploy;

import io.drainhost.deploy.act.Actor;
import io.drainhost.deploy.activity.CreationCheck;
import io.drainhost.deploy.activity.ReleaseActivities;
import io.drainhost.deploy.aws.AwsCallFailures;
import io.drainhost.deploy.pipeline.Releases;
import io.drainhost.deploy.plan.Idle;
import io.drainhost.deploy.plan.Observed;
import io.drainhost.deploy.plan.Plan;
import io.drainhost.deploy.temporal.TemporalCallFailures;
import io.drainhost.deploy.workflow.ReleaseRequest;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code java -jar drainhost-deploy.jar deploy | check | status | rollout | rollback | sunset |
 * follow | abort | controller}: releases of drainhost workers on ECS with Temporal Worker
 * Versioning, one ECS service per build id. A release runs as a Temporal workflow ({@code
 * io.drainhost.deploy.workflow}): it observes ({@code activity}), plans (a pure function of what it
 * saw: {@code plan}) and acts ({@code act}, {@code aws}); the command starts it and follows it
 * ({@code pipeline}). {@code --dry-run} plans in the command and changes nothing.
 */
@Command(
    name = "drainhost-deploy",
    mixinStandardHelpOptions = true,
    version = "drainhost-deploy 0.1.0",
    subcommands = {
      DeployCommand.class,
      CheckCommand.class,
      StatusCommand.class,
      RolloutCommand.class,
      RollbackCommand.class,
      SunsetCommand.class,
      FollowCommand.class,
      AbortCommand.class,
      ControllerCommand.class
    },
    description =
        "Releases of drainhost workers on ECS with Temporal Worker Versioning: one ECS service per"
            + " build id, tagged drainhost:deployment and drainhost:build-id.")
public final class DeployMain implements Callable<Integer> {
  /** The exit codes, the same for every subcommand (docs/drainhost-deploy.md, "Exit codes"). */
  static final String EXIT_CODES =
      "Exit codes: 0 done, 1 an endpoint failed (or the deployment changed under the run: re-run"
          + " it), 2 refused before any change (arguments, settings, or ECS and Temporal disagree"
          + " on the deployment), 3 refused on evidence (a gate, the ramp, a version that never"
          + " polled; a rollback with nothing to go back to), 4 another release of the deployment"
          + " runs (nothing of this one was started).";

  public static void main(String[] args) {
    System.exit(new CommandLine(new DeployMain()).execute(args));
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.err);
    return DeployException.USAGE;
  }

  /** Where Temporal is, for a failure's line; set once connected. */
  private static volatile String temporalScope = "Temporal";

  /** Runs a command body; a known failure is one line on stderr and its exit code. */
  static int guarded(Callable<Integer> body) {
    try {
      return body.call();
    } catch (DeployException e) {
      System.err.println("drainhost-deploy: " + e.getMessage());
      return e.exitCode;
    } catch (IllegalArgumentException e) {
      System.err.println("drainhost-deploy: " + e.getMessage());
      return DeployException.USAGE;
    } catch (SdkException e) {
      System.err.println("drainhost-deploy: " + AwsCallFailures.describe(e));
      return DeployException.UNAVAILABLE;
    } catch (io.grpc.StatusRuntimeException e) {
      System.err.println(
          "drainhost-deploy: "
              + TemporalCallFailures.describe(temporalScope, e)
              + ": if the deployment changed under this run (another run?), re-run it");
      return DeployException.UNAVAILABLE;
    } catch (Exception e) {
      System.err.println("drainhost-deploy: " + e);
      return DeployException.UNAVAILABLE;
    }
  }

  /** Connects, runs {@code body}, closes; its exit code, or the failure's code and line. */
  static int connected(Connections c, Function<Parts, Integer> body) {
    return guarded(
        () -> {
          temporalScope = c.temporalScope();
          try (Parts p = Parts.open(c)) {
            return body.apply(p);
          }
        });
  }

  /** Prints a plan; with {@code dryRun}, says that nothing was changed. */
  static void print(String command, Plan plan, boolean dryRun) {
    if (dryRun) {
      System.out.println(command + " (dry run: nothing changed): the plan");
      plan.lines().forEach(l -> System.out.println("  " + l));
    } else if (plan.stops()) {
      System.out.println(command + ": " + plan.message());
    }
  }

  /**
   * A release: one pass is planned here first, from one observation. A dry run prints it and starts
   * nothing; a refusal (a typo, a mismatch, settings that do not fit, a call the credentials may
   * not make) is said before any release is started. Otherwise the release workflow is started (or
   * the running one of the same build followed) and followed until its outcome, unless {@code
   * detach}.
   */
  static int release(Parts p, ReleaseRequest request, boolean dryRun, boolean detach) {
    ReleaseActivities.Pass pass = CreationCheck.pass(p, request.release(), request.sources());
    Plan plan = request.plan(pass.observed(), pass.findings(), Optional.empty());
    if (dryRun) {
      print(request.kind().command(), plan, true);
      return plan.stops() ? plan.exitCode() : Plan.DONE;
    }
    if (plan.exitCode() == Plan.USAGE) {
      System.err.println("drainhost-deploy: " + plan.message());
      return plan.exitCode();
    }
    return new Releases(p, System.out, System.err).start(request, detach);
  }

  /**
   * A one-pass command that changes nothing: observe, plan, print the plan; its exit code. Run
   * otherwise, a one-pass plan is acted on here ({@code sunset}).
   */
  static int once(
      Parts p, String command, Function<Observed, Plan> planner, Idle.Rule idle, boolean dryRun) {
    Observed o = p.observer().observe(Optional.empty());
    Plan plan = planner.apply(o);
    if (dryRun) {
      print(command, plan, true);
      return plan.exitCode();
    }
    if (plan.exitCode() == Plan.USAGE) {
      System.err.println("drainhost-deploy: " + plan.message());
      return plan.exitCode();
    }
    new Actor(
            p.connections().deployment,
            p.temporal(),
            p.client(),
            p.ecs(),
            p.taskDefinitions(),
            p.scaling(),
            Actor.Sources.none(),
            p.observer(),
            idle,
            System.out)
        .act(plan, o);
    System.out.println(command + ": " + plan.message());
    return plan.exitCode();
  }
}
