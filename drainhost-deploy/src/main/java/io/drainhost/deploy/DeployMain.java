package io.drainhost.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;

/** {@code java -jar drainhost-deploy.jar status | rollout ...}: rainbow rollouts on ECS. */
@Command(
    name = "drainhost-deploy",
    mixinStandardHelpOptions = true,
    version = "drainhost-deploy 0.1.0",
    subcommands = {
      DeployMain.Status.class,
      DeployMain.RolloutCommand.class,
      DeployMain.RollbackCommand.class,
      DeployMain.SunsetCommand.class
    },
    description =
        "Rainbow rollouts of drainhost workers on ECS with Temporal Worker Versioning: one ECS"
            + " service per build id, tagged drainhost:deployment and drainhost:build-id.")
public final class DeployMain implements Callable<Integer> {
  public static void main(String[] args) {
    System.exit(new CommandLine(new DeployMain()).execute(args));
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.err);
    return DeployException.USAGE;
  }

  /** Runs a command body; a known failure is one line on stderr and its exit code. */
  static int guarded(Callable<Integer> body) {
    try {
      return body.call();
    } catch (DeployException e) {
      System.err.println("drainhost-deploy: " + e.getMessage());
      return e.exitCode;
    } catch (SdkException e) {
      System.err.println("drainhost-deploy: ECS: " + e.getMessage());
      return DeployException.UNAVAILABLE;
    } catch (io.grpc.StatusRuntimeException e) {
      System.err.println("drainhost-deploy: Temporal: " + e.getStatus());
      return DeployException.UNAVAILABLE;
    } catch (Exception e) {
      System.err.println("drainhost-deploy: " + e);
      return DeployException.UNAVAILABLE;
    }
  }

  /** A command's work once connected: Temporal's deployment and stubs, the ECS services. */
  interface Connected {
    void run(TemporalDeployments temporal, EcsServices ecs, WorkflowServiceStubs stubs)
        throws Exception;
  }

  /** Connects, runs {@code body}, closes; exit 0, or the failure's code and line. */
  static int connected(Connections c, Connected body) {
    return guarded(
        () -> {
          WorkflowServiceStubs stubs = c.temporal();
          try (EcsClient ecs = c.ecs()) {
            body.run(
                new TemporalDeployments(stubs, c.namespace(), c.deployment),
                new EcsServices(ecs, c.cluster, c.deployment),
                stubs);
            return 0;
          } finally {
            stubs.shutdownNow();
          }
        });
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Every version of the deployment: status, ramp, task queues polled, drainage, open pinned"
              + " runs, beside its ECS service's counts.")
  static final class Status implements Callable<Integer> {
    @Mixin Connections connect;

    @Option(names = "--output", defaultValue = "table", description = "table or json")
    String output;

    @Override
    public Integer call() {
      if (!output.equals("table") && !output.equals("json")) {
        System.err.println("drainhost-deploy: --output " + output + ": table or json");
        return DeployException.USAGE;
      }
      return connected(
          connect,
          (temporal, ecs, stubs) -> {
            StatusReport report = StatusReport.of(temporal, ecs);
            System.out.print(
                output.equals("json")
                    ? new ObjectMapper()
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsString(report.rows())
                        + "\n"
                    : report.table());
          });
    }
  }

  @Command(
      name = "rollout",
      mixinStandardHelpOptions = true,
      description = {
        "Make a build id's version current: wait for its pollers, run the gate pinned to it, ramp in"
            + " steps watching for failures (rolled back on their own), set it current.",
        "Re-running continues from what Temporal says; a finished step is never repeated.",
        "Exit codes: 0 current, 3 the gate or the ramp failed (current unchanged), 1 an endpoint"
            + " failed or the deployment changed under it, 2 wrong arguments."
      })
  static final class RolloutCommand implements Callable<Integer> {
    @Mixin Connections connect;

    @Option(names = "--build-id", required = true, description = "the version to roll out")
    String buildId;

    @Option(
        names = "--steps",
        defaultValue = "",
        description = "ramp steps percent:duration, e.g. 10:5m,50:10m (default: none, all at once)")
    String steps;

    @Option(
        names = "--gate-workflow",
        description = "a workflow type started pinned to the new version; it must complete")
    String gateWorkflow;

    @Option(names = "--gate-input", defaultValue = "null", description = "its input, JSON")
    String gateInput;

    @Option(names = "--gate-task-queue", description = "its task queue")
    String gateTaskQueue;

    @Option(
        names = "--gate-timeout",
        defaultValue = "5m",
        description = "how long the gate may take")
    String gateTimeout;

    @Option(
        names = "--pollers-timeout",
        defaultValue = "5m",
        description = "how long to wait until the version polls the current version's task queues")
    String pollersTimeout;

    @Option(
        names = "--max-failures",
        defaultValue = "0",
        description = "failed runs or runs failing workflow tasks tolerated while ramping")
    int maxFailures;

    @Override
    public Integer call() {
      return guarded(
          () -> {
            if (maxFailures < 0) {
              throw new DeployException(DeployException.USAGE, "--max-failures must be 0 or more");
            }
            Optional<Rollout.Gate> gate = Optional.empty();
            if (gateWorkflow != null) {
              if (gateTaskQueue == null) {
                throw new DeployException(
                    DeployException.USAGE, "--gate-workflow needs --gate-task-queue");
              }
              com.fasterxml.jackson.databind.JsonNode input;
              try {
                input = new ObjectMapper().readTree(gateInput);
              } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new DeployException(
                    DeployException.USAGE, "--gate-input " + gateInput + ": not JSON");
              }
              gate =
                  Optional.of(
                      new Rollout.Gate(
                          gateWorkflow,
                          input,
                          gateTaskQueue,
                          Durations.parse("--gate-timeout", gateTimeout)));
            }
            java.util.List<RampStep> ramp = RampStep.parse(steps);
            java.time.Duration pollers = Durations.parse("--pollers-timeout", pollersTimeout);
            Optional<Rollout.Gate> chosenGate = gate;
            return connected(
                connect,
                (temporal, ecs, stubs) ->
                    new Rollout(
                            temporal,
                            ecs,
                            connect.client(stubs),
                            connect.deployment,
                            buildId,
                            ramp,
                            chosenGate,
                            pollers,
                            maxFailures,
                            System.out)
                        .run());
          });
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description =
          "Make the version that was current before the current one current again (it must still"
              + " have pollers); any ramp ends.")
  static final class RollbackCommand implements Callable<Integer> {
    @Mixin Connections connect;

    @Override
    public Integer call() {
      return connected(connect, (temporal, ecs, stubs) -> new Rollback(temporal, System.out).run());
    }
  }

  @Command(
      name = "sunset",
      mixinStandardHelpOptions = true,
      description = {
        "Retire old versions: drained (or inactive and never current) for longer than"
            + " --scale-down-after: scale the ECS service to 0; past --delete-after: delete the"
            + " service and the Temporal version.",
        "Never the current or ramping version or one with open pinned runs. Safe on a schedule."
      })
  static final class SunsetCommand implements Callable<Integer> {
    @Mixin Connections connect;

    @Option(names = "--scale-down-after", defaultValue = "1h", description = "default 1h")
    String scaleDownAfter;

    @Option(names = "--delete-after", defaultValue = "24h", description = "default 24h")
    String deleteAfter;

    @Option(names = "--dry-run", description = "print the plan, change nothing")
    boolean dryRun;

    @Override
    public Integer call() {
      return guarded(
          () -> {
            java.time.Duration down = Durations.parse("--scale-down-after", scaleDownAfter);
            java.time.Duration delete = Durations.parse("--delete-after", deleteAfter);
            if (delete.compareTo(down) < 0) {
              throw new DeployException(
                  DeployException.USAGE,
                  "--delete-after must not be shorter than --scale-down-after");
            }
            return connected(
                connect,
                (temporal, ecs, stubs) ->
                    new Sunset(temporal, ecs, down, delete, dryRun, System.out).run());
          });
    }
  }
}
