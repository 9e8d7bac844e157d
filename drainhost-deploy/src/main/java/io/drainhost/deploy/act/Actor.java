package io.drainhost.deploy.act;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.drainhost.deploy.aws.EcsServices;
import io.drainhost.deploy.aws.Scaling;
import io.drainhost.deploy.aws.ServiceRequests;
import io.drainhost.deploy.aws.SourceFile;
import io.drainhost.deploy.aws.TaskDefinitions;
import io.drainhost.deploy.observe.Observer;
import io.drainhost.deploy.plan.Action;
import io.drainhost.deploy.plan.Idle;
import io.drainhost.deploy.plan.Observed;
import io.drainhost.deploy.plan.Plan;
import io.drainhost.deploy.temporal.TemporalDeployments;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.VersioningOverride;
import io.temporal.common.WorkerDeploymentVersion;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

/**
 * Carries out a plan's actions, in order, against ECS, Application Auto Scaling and Temporal. It
 * decides nothing: where a plan needs a source (the task definition and service a new version
 * copies) it takes the current version's, else the files'. Every routing change carries the
 * conflict token of the observation it was planned on (later ones in the same plan, the token of
 * the description after the change before), so that a change made meanwhile by anyone else makes
 * Temporal refuse it.
 */
public final class Actor {
  /** Where a first release's task definition and service come from, and the gates' runs. */
  public record Sources(
      Optional<SourceFile> taskDefinitionFile,
      Optional<SourceFile> serviceSettingsFile,
      ServiceRequests.AccountSettings account,
      JsonNode gateInput,
      Optional<String> gateTaskQueue) {
    /** What a command that creates nothing and starts no gate has: none of it. */
    public static Sources none() {
      return new Sources(
          Optional.empty(),
          Optional.empty(),
          new ServiceRequests.AccountSettings(List.of(), List.of(), Optional.empty(), false),
          com.fasterxml.jackson.databind.node.NullNode.getInstance(),
          Optional.empty());
    }
  }

  private final String deployment;
  private final TemporalDeployments temporal;
  private final WorkflowClient client;
  private final EcsServices ecs;
  private final TaskDefinitions taskDefinitions;
  private final Scaling scaling;
  private final Sources sources;
  private final Observer observer;
  private final Idle.Rule idle;
  private final PrintStream out;

  /**
   * @param observer reads the deployment again before each action that may stop work
   * @param idle the rule that read must pass ({@link Idle}): sunset's, or a release's own
   */
  public Actor(
      String deployment,
      TemporalDeployments temporal,
      WorkflowClient client,
      EcsServices ecs,
      TaskDefinitions taskDefinitions,
      Scaling scaling,
      Sources sources,
      Observer observer,
      Idle.Rule idle,
      PrintStream out) {
    this.observer = observer;
    this.idle = idle;
    this.deployment = deployment;
    this.temporal = temporal;
    this.client = client;
    this.ecs = ecs;
    this.taskDefinitions = taskDefinitions;
    this.scaling = scaling;
    this.sources = sources;
    this.out = out;
  }

  /**
   * Acts on every action of the plan, in order; the plan's lines say what was done. An action that
   * may stop work runs only if a fresh look still finds its build idle and its service still the
   * build's; otherwise it and the build's later ones are left, each said. A failure mid-plan says
   * what was done and what was not before it is thrown on.
   */
  public void act(Plan plan, Observed o) {
    Map<String, String> registered = new HashMap<>();
    Map<String, String> kept = new HashMap<>();
    ByteString[] token = {
      o.routing().map(r -> ByteString.copyFrom(r.conflictToken())).orElse(ByteString.EMPTY)
    };
    List<Action> actions = plan.actions();
    for (int i = 0; i < actions.size(); i++) {
      Action a = actions.get(i);
      Optional<String> stops = a.stops();
      if (stops.isPresent()) {
        String b = stops.get();
        Optional<String> busy =
            kept.containsKey(b)
                ? Optional.of(kept.get(b))
                : stillIdle(a, b, observer.observe(Optional.empty()));
        if (busy.isPresent()) {
          kept.put(b, busy.get());
          out.println("  not done: " + a.describe() + "  (just before it: " + busy.get() + ")");
          continue;
        }
      }
      out.println("  " + a.describe() + "  (" + a.reason() + ")");
      try {
        apply(a, o, registered, token);
      } catch (RuntimeException e) {
        out.println("  failed: " + a.describe());
        List<Action> left = actions.subList(i + 1, actions.size());
        if (!left.isEmpty()) {
          out.println(
              "  not done: " + String.join("; ", left.stream().map(Action::describe).toList()));
        }
        out.println(
            "  to resume: run the same command again; it observes what was done and carries on");
        throw e;
      }
    }
  }

  /** Why the action must not run now: its build is no longer idle, or its service changed. */
  private Optional<String> stillIdle(Action a, String buildId, Observed fresh) {
    String service =
        a instanceof Action.ScaleService s
            ? s.service()
            : a instanceof Action.DeleteService d
                ? d.service()
                : a instanceof Action.DeregisterScaling d ? d.service() : null;
    Observed.Service now = fresh.services().get(buildId);
    if (service != null && (now == null || !now.name().equals(service))) {
      return Optional.of(
          "ECS service "
              + service
              + " is no longer the one tagged for "
              + buildId
              + (now == null ? "" : " (" + now.name() + " is)"));
    }
    return Idle.whyNot(fresh, buildId, idle)
        .map(
            why ->
                "Temporal says "
                    + buildId
                    + " is "
                    + why
                    + "; drainhost-deploy sunset retires it once it is idle");
  }

  private void apply(Action a, Observed o, Map<String, String> registered, ByteString[] token) {
    if (a instanceof Action.RegisterTaskDefinition r) {
      RegisterTaskDefinitionRequest source =
          currentService(o)
              .map(s -> taskDefinitions.fromCurrent(s.described().taskDefinition()))
              .orElseGet(() -> TaskDefinitions.fromFile(fileOf(sources.taskDefinitionFile())));
      registered.put(
          r.buildId(), taskDefinitions.register(source, r.image(), deployment, r.buildId()));
    } else if (a instanceof Action.CreateService c) {
      ecs.create(createService(o, c, registered.get(c.buildId())));
    } else if (a instanceof Action.CopyScaling s) {
      scaling.copy(
          s.fromService(),
          s.toService(),
          Map.of(s.fromService(), s.toService(), s.fromBuildId(), s.toBuildId()));
    } else if (a instanceof Action.DeregisterScaling d) {
      scaling.deregister(d.service());
    } else if (a instanceof Action.ScaleService s) {
      ecs.scale(s.service(), s.desired());
    } else if (a instanceof Action.DeleteService d) {
      ecs.delete(d.service());
    } else if (a instanceof Action.StartGate g) {
      startGate(g);
    } else if (a instanceof Action.TerminateGate t) {
      terminateGate(t.workflowId());
    } else if (a instanceof Action.SetRamping r) {
      temporal.setRamping(r.buildId(), r.percent(), token[0]);
      token[0] = fresh();
    } else if (a instanceof Action.SetCurrent c) {
      temporal.setCurrent(c.buildId(), token[0]);
      token[0] = fresh();
    } else if (a instanceof Action.DeleteVersion d) {
      deleteVersion(d.buildId());
    }
  }

  private CreateServiceRequest createService(Observed o, Action.CreateService c, String arn) {
    if (arn == null) {
      throw new IllegalStateException("no task definition registered for " + c.buildId());
    }
    return currentService(o)
        .map(
            s ->
                ServiceRequests.likeCurrent(
                    s.described(),
                    ecs.cluster(),
                    c.name(),
                    arn,
                    c.desired(),
                    ecs.versionTags(c.buildId())))
        .orElseGet(
            () ->
                ServiceRequests.fromFile(
                    fileOf(sources.serviceSettingsFile()),
                    sources.account(),
                    ecs.cluster(),
                    c.name(),
                    arn,
                    c.desired(),
                    ecs.versionTags(c.buildId())));
  }

  private static SourceFile fileOf(Optional<SourceFile> file) {
    return file.orElseThrow(
        () -> new IllegalArgumentException("a first release names its files, none was given"));
  }

  private ByteString fresh() {
    return temporal
        .describe()
        .map(TemporalDeployments.Snapshot::conflictToken)
        .orElse(ByteString.EMPTY);
  }

  private Optional<EcsServices.VersionService> currentService(Observed o) {
    return o.routing().flatMap(Observed.Routing::current).flatMap(ecs::of);
  }

  private void startGate(Action.StartGate g) {
    try {
      client
          .newUntypedWorkflowStub(
              g.workflowType(),
              WorkflowOptions.newBuilder()
                  .setWorkflowId(g.workflowId())
                  .setTaskQueue(
                      sources
                          .gateTaskQueue()
                          .orElseThrow(
                              () -> new IllegalArgumentException("a gate needs --gate-task-queue")))
                  .setVersioningOverride(
                      new VersioningOverride.PinnedVersioningOverride(
                          new WorkerDeploymentVersion(deployment, g.buildId())))
                  .build())
          .start(sources.gateInput());
    } catch (WorkflowExecutionAlreadyStarted e) {
      // An earlier run of the tool started it: its outcome is the gate's.
    }
  }

  /**
   * A failed release's gate run must not stay open on its version: its hosts' replay gates would
   * refuse the build for it, and a later release with a fixed gate would wait on it.
   */
  private void terminateGate(String workflowId) {
    try {
      client.newUntypedWorkflowStub(workflowId).terminate("drainhost-deploy: the release failed");
    } catch (RuntimeException e) {
      // already closed
    }
  }

  private void deleteVersion(String buildId) {
    try {
      temporal.deleteVersion(buildId);
    } catch (StatusRuntimeException e) {
      // Temporal keeps a version while pollers of it were seen lately: the next run deletes it.
      out.println(
          "  version " + buildId + " kept by Temporal for now: " + e.getStatus().getDescription());
    }
  }
}
