package io.drainhost.deploy.act;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.drainhost.deploy.aws.EcsServices;
import io.drainhost.deploy.aws.Scaling;
import io.drainhost.deploy.aws.ServiceRequests;
import io.drainhost.deploy.aws.TaskDefinitions;
import io.drainhost.deploy.plan.Action;
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
import java.nio.file.Path;
import java.util.HashMap;
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
      Path taskDefinitionFile,
      Path serviceSettingsFile,
      ServiceRequests.AccountSettings account,
      JsonNode gateInput,
      Optional<String> gateTaskQueue) {}

  private final String deployment;
  private final TemporalDeployments temporal;
  private final WorkflowClient client;
  private final EcsServices ecs;
  private final TaskDefinitions taskDefinitions;
  private final Scaling scaling;
  private final Sources sources;
  private final PrintStream out;

  public Actor(
      String deployment,
      TemporalDeployments temporal,
      WorkflowClient client,
      EcsServices ecs,
      TaskDefinitions taskDefinitions,
      Scaling scaling,
      Sources sources,
      PrintStream out) {
    this.deployment = deployment;
    this.temporal = temporal;
    this.client = client;
    this.ecs = ecs;
    this.taskDefinitions = taskDefinitions;
    this.scaling = scaling;
    this.sources = sources;
    this.out = out;
  }

  /** Acts on every action of the plan, in order; the plan's lines say what was done. */
  public void act(Plan plan, Observed o) {
    Map<String, String> registered = new HashMap<>();
    ByteString[] token = {
      o.routing().map(r -> ByteString.copyFrom(r.conflictToken())).orElse(ByteString.EMPTY)
    };
    for (Action a : plan.actions()) {
      out.println("  " + a.describe() + "  (" + a.reason() + ")");
      if (a instanceof Action.RegisterTaskDefinition r) {
        RegisterTaskDefinitionRequest source =
            currentService(o)
                .map(s -> taskDefinitions.fromCurrent(s.described().taskDefinition()))
                .orElseGet(() -> TaskDefinitions.fromFile(sources.taskDefinitionFile()));
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
                    sources.serviceSettingsFile(),
                    sources.account(),
                    ecs.cluster(),
                    c.name(),
                    arn,
                    c.desired(),
                    ecs.versionTags(c.buildId())));
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
