package io.drainhost.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.deploy.act.Actor;
import io.drainhost.deploy.aws.AwsCallFailures;
import io.drainhost.deploy.aws.EcsServices;
import io.drainhost.deploy.aws.Roles;
import io.drainhost.deploy.aws.Scaling;
import io.drainhost.deploy.aws.ServiceRequests;
import io.drainhost.deploy.aws.SettingsReader;
import io.drainhost.deploy.aws.TargetGroups;
import io.drainhost.deploy.aws.TaskDefinitions;
import io.drainhost.deploy.check.Account;
import io.drainhost.deploy.check.Checks;
import io.drainhost.deploy.check.Finding;
import io.drainhost.deploy.check.Settings;
import io.drainhost.deploy.observe.Observer;
import io.drainhost.deploy.plan.DeployPlanner;
import io.drainhost.deploy.plan.FailureRule;
import io.drainhost.deploy.plan.Identity;
import io.drainhost.deploy.plan.Idle;
import io.drainhost.deploy.plan.Observed;
import io.drainhost.deploy.plan.Plan;
import io.drainhost.deploy.plan.RampStep;
import io.drainhost.deploy.plan.Release;
import io.drainhost.deploy.plan.RollbackPlanner;
import io.drainhost.deploy.plan.SunsetPlanner;
import io.drainhost.deploy.temporal.TemporalCallFailures;
import io.drainhost.deploy.temporal.TemporalDeployments;
import io.drainhost.deploy.time.Durations;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * {@code java -jar drainhost-deploy.jar deploy | check | status | rollout | rollback | sunset}:
 * releases of drainhost workers on ECS with Temporal Worker Versioning, one ECS service per build
 * id. Every subcommand observes, plans (a pure function of what it saw: {@code io.drainhost.deploy
 * .plan}) and acts; {@code --dry-run} prints the plan and changes nothing.
 */
@Command(
    name = "drainhost-deploy",
    mixinStandardHelpOptions = true,
    version = "drainhost-deploy 0.1.0",
    subcommands = {
      DeployMain.DeployCommand.class,
      DeployMain.CheckCommand.class,
      DeployMain.Status.class,
      DeployMain.RolloutCommand.class,
      DeployMain.RollbackCommand.class,
      DeployMain.SunsetCommand.class
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
          + " polled; a rollback with nothing to go back to).";

  /** How long a release waits between two passes (observe, plan, act). */
  static final Duration PASS_PAUSE = Duration.ofSeconds(2);

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

  /** What a command works with once connected. */
  record Parts(
      Connections connections,
      WorkflowServiceStubs stubs,
      TemporalDeployments temporal,
      EcsServices ecs,
      TaskDefinitions taskDefinitions,
      Scaling scaling,
      TargetGroups targetGroups,
      Roles roles,
      Observer observer) {}

  /** Connects, runs {@code body}, closes; its exit code, or the failure's code and line. */
  static int connected(Connections c, Function<Parts, Integer> body) {
    return guarded(
        () -> {
          temporalScope = c.temporalScope();
          WorkflowServiceStubs stubs = c.temporal();
          try (EcsClient ecs = c.ecs();
              ApplicationAutoScalingClient autoscaling = c.autoscaling();
              ElasticLoadBalancingV2Client elb = c.elb();
              IamClient iam = c.iam()) {
            TemporalDeployments temporal =
                new TemporalDeployments(stubs, c.namespace(), c.deployment);
            if (!temporal.namespaceExists()) {
              throw new DeployException(
                  DeployException.USAGE,
                  "namespace "
                      + c.namespace()
                      + " does not exist on Temporal at "
                      + c.address()
                      + ": a typo in TEMPORAL_NAMESPACE or --namespace, or another Temporal"
                      + " cluster? Nothing was changed");
            }
            EcsServices services = new EcsServices(ecs, c.cluster, c.deployment);
            Scaling scaling = new Scaling(autoscaling, services.clusterName());
            TaskDefinitions taskDefinitions = new TaskDefinitions(ecs);
            Observed.Scope scope =
                new Observed.Scope(
                    c.deployment,
                    c.namespace(),
                    c.address(),
                    c.cluster,
                    ecs.serviceClientConfiguration().region().id());
            return body.apply(
                new Parts(
                    c,
                    stubs,
                    temporal,
                    services,
                    taskDefinitions,
                    scaling,
                    new TargetGroups(elb),
                    new Roles(iam),
                    new Observer(
                        scope, temporal, services, taskDefinitions, scaling, Clock.systemUTC())));
          } finally {
            stubs.shutdownNow();
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

  /** The flags every release takes: the gates, the ramp and the rules that roll it back. */
  static final class ReleaseOptions {
    @Option(
        names = "--steps",
        defaultValue = "",
        description = "ramp steps percent:duration, e.g. 10:5m,50:10m (default: none, all at once)")
    String steps;

    @Option(
        names = "--gate-workflow",
        description = "a workflow type started pinned to the new version before any traffic")
    String gateWorkflow;

    @Option(
        names = "--step-gate",
        description = "a workflow type started pinned to the new version before every ramp step")
    String stepGate;

    @Option(names = "--gate-input", defaultValue = "null", description = "the gates' input, JSON")
    String gateInput;

    @Option(names = "--gate-task-queue", description = "the gates' task queue")
    String gateTaskQueue;

    @Option(names = "--gate-timeout", defaultValue = "5m", description = "how long a gate may take")
    String gateTimeout;

    @Option(
        names = "--pollers-timeout",
        defaultValue = "5m",
        description =
            "how long the version may take to poll the current version's task queues after its"
                + " service was created; past it the release fails")
    String pollersTimeout;

    @Option(
        names = "--max-failures",
        description =
            "failed runs and runs failing workflow tasks tolerated in a step's window (default 0"
                + " without --max-failure-rate)")
    Long maxFailures;

    @Option(
        names = "--max-failure-rate",
        description =
            "the highest share of failures (failed runs and runs failing workflow tasks, over runs"
                + " started, at least --min-runs) in a step's window, e.g. 0.05")
    Double maxFailureRate;

    @Option(
        names = "--min-runs",
        defaultValue = "20",
        description = "the least denominator of the failure rate (default ${DEFAULT-VALUE})")
    long minRuns;

    @Option(
        names = "--rollback-window",
        defaultValue = "0s",
        description =
            "after promotion, watch this long on the same rule and roll back to the previous"
                + " version (default: no watch)")
    String rollbackWindow;

    @Option(names = "--dry-run", description = "print the plan, change nothing")
    boolean dryRun;

    Release release(
        String deployment, String buildId, Optional<String> image, Optional<Integer> desired) {
      if (gateWorkflow != null || stepGate != null) {
        if (gateTaskQueue == null) {
          throw new IllegalArgumentException("a gate needs --gate-task-queue");
        }
        gateInput();
      }
      FailureRule rule =
          maxFailures == null && maxFailureRate == null
              ? FailureRule.STRICT
              : new FailureRule(
                  maxFailureRate == null
                      ? OptionalDouble.empty()
                      : OptionalDouble.of(maxFailureRate),
                  maxFailures == null ? OptionalLong.empty() : OptionalLong.of(maxFailures),
                  minRuns);
      return new Release(
          deployment,
          buildId,
          image,
          desired,
          RampStep.parse(steps),
          Optional.ofNullable(gateWorkflow),
          Optional.ofNullable(stepGate),
          rule,
          Durations.parse("--pollers-timeout", pollersTimeout),
          Durations.parse("--gate-timeout", gateTimeout),
          Durations.parse("--rollback-window", rollbackWindow));
    }

    JsonNode gateInput() {
      try {
        return new ObjectMapper().readTree(gateInput);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException("--gate-input " + gateInput + ": not JSON");
      }
    }
  }

  /** Where a first release's settings come from, and what only the account knows. */
  static final class SourceOptions {
    @Option(
        names = "--task-definition",
        description =
            "a first release (no current version): the task definition file it starts from,"
                + " e.g. ecs/task-definition.json; required then")
    Path taskDefinition;

    @Option(
        names = "--service-settings",
        description =
            "a first release: the service settings file it starts from, e.g."
                + " ecs/service-settings.json; required then")
    Path serviceSettings;

    @Option(names = "--subnets", split = ",", description = "with no current version: subnet ids")
    List<String> subnets = List.of();

    @Option(
        names = "--security-groups",
        split = ",",
        description = "with no current version: security group ids")
    List<String> securityGroups = List.of();

    @Option(
        names = "--target-group-arn",
        description = "with no current version: the target group the service registers with")
    String targetGroupArn;

    @Option(names = "--assign-public-ip", description = "with no current version: a public IP")
    boolean assignPublicIp;

    ServiceRequests.AccountSettings account() {
      return new ServiceRequests.AccountSettings(
          subnets, securityGroups, Optional.ofNullable(targetGroupArn), assignPublicIp);
    }
  }

  /**
   * The check of what a new version's service would be made from, on the real resources: the
   * current version's settings and account, else the files' with the target group, network and
   * roles given. A first release names its files: no silent fallback to the examples.
   */
  static List<Finding> creationFindings(Parts p, Observed o, SourceOptions source) {
    Optional<EcsServices.VersionService> current =
        o.routing().flatMap(Observed.Routing::current).flatMap(p.ecs()::of);
    List<Finding> findings = new java.util.ArrayList<>();
    if (current.isPresent()) {
      findings.addAll(
          Checks.check(
              SettingsReader.fromCurrent(
                  current.get().described(), p.taskDefinitions(), Optional.of(p.targetGroups()))));
      findings.addAll(Checks.account(currentAccount(p, current.get().described())));
      return findings;
    }
    if (source.taskDefinition == null || source.serviceSettings == null) {
      throw new IllegalArgumentException(
          "deployment "
              + p.connections().deployment
              + " has no current version in "
              + p.connections().temporalScope()
              + ": a first release names its files, --task-definition and --service-settings"
              + " (ecs/task-definition.json and ecs/service-settings.json are examples to copy)");
    }
    findings.addAll(
        Checks.check(
            SettingsReader.forFirstRelease(
                source.taskDefinition,
                source.serviceSettings,
                Optional.ofNullable(source.targetGroupArn).map(p.targetGroups()::read))));
    findings.addAll(
        Checks.account(
            SettingsReader.firstReleaseAccount(
                source.taskDefinition,
                source.serviceSettings,
                source.account(),
                p.roles(),
                p.connections().namespace())));
    return findings;
  }

  /** What the current version's service has of the account, judged in this run's namespace. */
  static Account currentAccount(Parts p, software.amazon.awssdk.services.ecs.model.Service s) {
    return SettingsReader.currentAccount(
        s, p.taskDefinitions(), p.roles(), p.connections().namespace());
  }

  /**
   * A release, pass after pass: observe, plan, act, pause; until the plan stops. A re-run after an
   * interruption does the same from what it observes, so it carries on.
   */
  static int release(
      Parts p, Release r, ReleaseOptions options, SourceOptions source, String command) {
    Actor actor =
        new Actor(
            r.deployment(),
            p.temporal(),
            p.connections().client(p.stubs()),
            p.ecs(),
            p.taskDefinitions(),
            p.scaling(),
            new Actor.Sources(
                source.taskDefinition,
                source.serviceSettings,
                source.account(),
                options.gateInput(),
                Optional.ofNullable(options.gateTaskQueue)),
            p.observer(),
            Idle.Rule.release(r.buildId()),
            System.out);
    String last = "";
    while (true) {
      Observed o = p.observer().observe(Optional.of(r));
      boolean creating = !o.services().containsKey(r.buildId()) && r.image().isPresent();
      List<Finding> findings =
          creating && Identity.mismatch(o, Optional.of(r)).isEmpty()
              ? creationFindings(p, o, source)
              : List.of();
      Plan plan = DeployPlanner.plan(o, r, findings);
      if (options.dryRun) {
        print(command, plan, true);
        return plan.stops() ? plan.exitCode() : Plan.DONE;
      }
      if (plan.exitCode() == Plan.USAGE) {
        System.err.println("drainhost-deploy: " + plan.message());
        return plan.exitCode();
      }
      if (!plan.actions().isEmpty() || !plan.message().equals(last)) {
        System.out.println(command + ": " + plan.message());
        last = plan.message();
      }
      actor.act(plan, o);
      if (plan.stops()) {
        return plan.exitCode();
      }
      sleep(PASS_PAUSE);
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException(DeployException.UNAVAILABLE, "interrupted");
    }
  }

  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description = {
        "Release an image: register the version's task definition and create its service from the"
            + " current version's (or from the files, for a first release), copy its autoscaling,"
            + " then roll it out (gates, ramp steps watched for failures, promotion).",
        "First it proves that ECS and Temporal describe the same deployment, and checks the"
            + " settings and the account (as `check`); a mismatch or an error refuses the release"
            + " before anything is created. A release that does not make it gets no traffic, and"
            + " its service goes to 0 once Temporal says it is idle. Re-running it carries on from"
            + " what ECS and Temporal say.",
        EXIT_CODES
      })
  static final class DeployCommand implements Callable<Integer> {
    @Mixin Connections connect;
    @Mixin ReleaseOptions options;
    @Mixin SourceOptions source;

    @Option(
        names = "--image",
        required = true,
        description = "the image: repository@sha256:… or :tag")
    String image;

    @Option(
        names = "--build-id",
        description =
            "the version's build id (default: the image's digest, as the host derives it)")
    String buildId;

    @Option(
        names = "--desired",
        description = "the new service's task count (default: the current version's)")
    Integer desired;

    @Override
    public Integer call() {
      return guarded(
          () -> {
            String b = buildId != null ? buildId : TaskDefinitions.buildIdOf(image);
            if (desired != null && desired < 1) {
              throw new IllegalArgumentException("--desired must be 1 or more");
            }
            Release r =
                options.release(
                    connect.deployment, b, Optional.of(image), Optional.ofNullable(desired));
            return connected(connect, p -> release(p, r, options, source, "deploy"));
          });
    }
  }

  @Command(
      name = "rollout",
      mixinStandardHelpOptions = true,
      description = {
        "Make a build id's version current (its service exists): wait for its pollers, run the gates"
            + " pinned to it, ramp in steps watching for failures (rolled back on their own), set it"
            + " current.",
        "Re-running continues from what Temporal says; a finished step is never repeated.",
        EXIT_CODES
      })
  static final class RolloutCommand implements Callable<Integer> {
    @Mixin Connections connect;
    @Mixin ReleaseOptions options;

    @Option(names = "--build-id", required = true, description = "the version to roll out")
    String buildId;

    @Override
    public Integer call() {
      return guarded(
          () -> {
            Release r =
                options.release(connect.deployment, buildId, Optional.empty(), Optional.empty());
            return connected(connect, p -> release(p, r, options, new SourceOptions(), "rollout"));
          });
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "The deployment's ECS settings against what drainhost needs, one finding per setting with"
            + " the field and why: the current version's task definition, service and target"
            + " group, or the files given.",
        EXIT_CODES
      })
  static final class CheckCommand implements Callable<Integer> {
    @Option(names = "--deployment", description = "the Worker Deployment (with --cluster)")
    String deployment;

    @Option(names = "--cluster", description = "the ECS cluster of its services")
    String cluster;

    @Option(names = "--task-definition", description = "a task definition file instead")
    Path taskDefinition;

    @Option(names = "--service-settings", description = "a service settings file instead")
    Path serviceSettings;

    @Option(names = "--address", description = "Temporal's host:port (else TEMPORAL_ADDRESS)")
    String address;

    @Option(names = "--namespace", description = "the namespace (else TEMPORAL_NAMESPACE)")
    String namespace;

    @Override
    public Integer call() {
      return guarded(
          () -> {
            if (taskDefinition != null || serviceSettings != null) {
              if (taskDefinition == null || serviceSettings == null) {
                throw new IllegalArgumentException(
                    "give both --task-definition and --service-settings");
              }
              return report(SettingsReader.fromFiles(taskDefinition, serviceSettings), List.of());
            }
            if (deployment == null || cluster == null) {
              throw new IllegalArgumentException(
                  "give --cluster and --deployment (the current version is checked), or the files"
                      + " (--task-definition and --service-settings)");
            }
            return connected(
                Connections.of(deployment, cluster, address, namespace),
                p -> {
                  Observed o = p.observer().observe(Optional.empty());
                  Optional<EcsServices.VersionService> current =
                      o.routing().flatMap(Observed.Routing::current).flatMap(p.ecs()::of);
                  if (current.isEmpty()) {
                    throw new IllegalArgumentException(
                        "deployment "
                            + deployment
                            + " has no current version with a service in "
                            + cluster
                            + ": check the files instead");
                  }
                  return report(
                      SettingsReader.fromCurrent(
                          current.get().described(),
                          p.taskDefinitions(),
                          Optional.of(p.targetGroups())),
                      Checks.account(currentAccount(p, current.get().described())));
                });
          });
    }

    private static int report(Settings s, List<Finding> account) {
      List<Finding> findings = new java.util.ArrayList<>(Checks.check(s));
      findings.addAll(account);
      System.out.print(Checks.table(s, findings));
      return findings.stream().anyMatch(Finding::error) ? DeployException.USAGE : 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Every version of the deployment and every service of it, failed releases included:"
            + " status, ramp, task queues polled, drainage, open pinned runs, ECS counts.",
        EXIT_CODES
      })
  static final class Status implements Callable<Integer> {
    @Mixin Connections connect;

    @Option(names = "--output", defaultValue = "table", description = "table or json")
    String output;

    @Option(names = "--dry-run", description = "accepted for symmetry: status changes nothing")
    boolean dryRun;

    @Override
    public Integer call() {
      if (!output.equals("table") && !output.equals("json")) {
        System.err.println("drainhost-deploy: --output " + output + ": table or json");
        return DeployException.USAGE;
      }
      return connected(
          connect,
          p -> {
            StatusReport report = StatusReport.of(p.temporal(), p.ecs());
            try {
              System.out.print(
                  output.equals("json")
                      ? new ObjectMapper()
                              .writerWithDefaultPrettyPrinter()
                              .writeValueAsString(report.rows())
                          + "\n"
                      : report.table());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
              throw new IllegalStateException(e);
            }
            return 0;
          });
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = {
        "Make the version that was current before the current one current again (it must still"
            + " have pollers); any ramp ends.",
        EXIT_CODES
      })
  static final class RollbackCommand implements Callable<Integer> {
    @Mixin Connections connect;

    @Option(names = "--dry-run", description = "print the plan, change nothing")
    boolean dryRun;

    @Override
    public Integer call() {
      return connected(
          connect,
          p -> once(p, "rollback", RollbackPlanner::plan, Idle.Rule.sunset(Duration.ZERO), dryRun));
    }
  }

  @Command(
      name = "sunset",
      mixinStandardHelpOptions = true,
      description = {
        "Retire old versions: drained (or inactive and never current), or releases that never"
            + " polled, for longer than --scale-down-after: autoscaling deregistered, the ECS"
            + " service scaled to 0; past --delete-after: the service and the Temporal version"
            + " deleted.",
        "Never the current or ramping version, one that drains or has open pinned runs, nor a"
            + " service Temporal cannot show idle. Safe on a schedule.",
        EXIT_CODES
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
            Duration down = Durations.parse("--scale-down-after", scaleDownAfter);
            Duration delete = Durations.parse("--delete-after", deleteAfter);
            if (delete.compareTo(down) < 0) {
              throw new IllegalArgumentException(
                  "--delete-after must not be shorter than --scale-down-after");
            }
            return connected(
                connect,
                p ->
                    once(
                        p,
                        "sunset",
                        o -> SunsetPlanner.plan(o, down, delete),
                        Idle.Rule.sunset(down),
                        dryRun));
          });
    }
  }

  /**
   * A one-pass command: observe, plan, print the plan, act on it unless a dry run; its exit code.
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
    Actor actor =
        new Actor(
            p.connections().deployment,
            p.temporal(),
            p.connections().client(p.stubs()),
            p.ecs(),
            p.taskDefinitions(),
            p.scaling(),
            new Actor.Sources(
                null,
                null,
                new ServiceRequests.AccountSettings(List.of(), List.of(), Optional.empty(), false),
                com.fasterxml.jackson.databind.node.NullNode.getInstance(),
                Optional.empty()),
            p.observer(),
            idle,
            System.out);
    actor.act(plan, o);
    System.out.println(command + ": " + plan.message());
    return plan.exitCode();
  }
}
