package io.drainhost.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.util.Timestamps;
import io.drainhost.deploy.TemporalDeployments.Snapshot;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.VersioningOverride;
import io.temporal.common.WorkerDeploymentVersion;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code rollout}: makes a build id's version current, step by step, each step decided on what
 * Temporal says now, so that a re-run after an interruption continues where the last one stopped.
 * Pollers → gate → ramp steps watched for failures (rolled back on their own) → current.
 */
final class Rollout {
  /** A workflow run pinned to the new version that must complete before it gets any traffic. */
  record Gate(String workflowType, JsonNode input, String taskQueue, Duration timeout) {}

  private final TemporalDeployments temporal;
  private final EcsServices ecs;
  private final WorkflowClient client;
  private final String deployment;
  private final String buildId;
  private final List<RampStep> steps;
  private final Optional<Gate> gate;
  private final Duration pollersTimeout;
  private final int maxFailures;
  private final PrintStream out;

  Rollout(
      TemporalDeployments temporal,
      EcsServices ecs,
      WorkflowClient client,
      String deployment,
      String buildId,
      List<RampStep> steps,
      Optional<Gate> gate,
      Duration pollersTimeout,
      int maxFailures,
      PrintStream out) {
    this.temporal = temporal;
    this.ecs = ecs;
    this.client = client;
    this.deployment = deployment;
    this.buildId = buildId;
    this.steps = steps;
    this.gate = gate;
    this.pollersTimeout = pollersTimeout;
    this.maxFailures = maxFailures;
    this.out = out;
  }

  void run() {
    EcsServices.VersionService service =
        ecs.of(buildId)
            .orElseThrow(
                () ->
                    new DeployException(
                        DeployException.USAGE,
                        "no active ECS service tagged "
                            + EcsServices.DEPLOYMENT_TAG
                            + "="
                            + deployment
                            + " and "
                            + EcsServices.BUILD_ID_TAG
                            + "="
                            + buildId
                            + ": create the version's service first"));
    if (service.desired() == 0) {
      throw new DeployException(
          DeployException.USAGE,
          "ECS service " + service.name() + " has desired count 0: scale it up first");
    }
    Snapshot snap = awaitPollers();
    if (snap.current().filter(buildId::equals).isPresent()) {
      out.println("rollout: " + version() + " is already current; nothing to do");
      return;
    }
    boolean resumed = snap.ramping().filter(buildId::equals).isPresent();
    if (gate.isPresent() && !resumed) {
      runGate(gate.get());
    } else if (gate.isPresent()) {
      out.println(
          "rollout: gate skipped: " + version() + " already ramps (an earlier run passed it)");
    }
    if (snap.current().isPresent()) {
      for (RampStep step : steps) {
        ramp(step);
      }
    }
    snap = describe();
    try {
      temporal.setCurrent(buildId, snap.conflictToken());
    } catch (StatusRuntimeException e) {
      throw conflict(e);
    }
    out.println("rollout: " + version() + " is current");
  }

  /** Waits until the version polls every task queue the current version polls. */
  private Snapshot awaitPollers() {
    long deadline = System.nanoTime() + pollersTimeout.toNanos();
    Set<String> needed = Set.of();
    Set<String> polled = Set.of();
    while (true) {
      Optional<Snapshot> snap = temporal.describe();
      if (snap.isPresent()) {
        needed = snap.get().current().map(temporal::taskQueues).orElse(Set.of());
        polled = temporal.taskQueues(buildId);
        if (!polled.isEmpty() && polled.containsAll(needed)) {
          out.println("rollout: " + version() + " polls " + polled.size() + " task queue(s)");
          return snap.get();
        }
      }
      if (System.nanoTime() > deadline) {
        Set<String> missing = new HashSet<>(needed);
        missing.removeAll(polled);
        throw new DeployException(
            DeployException.UNAVAILABLE,
            version()
                + " does not poll "
                + (polled.isEmpty() ? "any task queue" : "the current version's " + missing)
                + " after "
                + pollersTimeout.toSeconds()
                + " s: are its ECS tasks running and healthy?");
      }
      sleep(Duration.ofSeconds(2));
    }
  }

  private void runGate(Gate g) {
    String id = "drainhost-gate-" + deployment + "-" + buildId;
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            g.workflowType(),
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(g.taskQueue())
                .setVersioningOverride(
                    new VersioningOverride.PinnedVersioningOverride(
                        new WorkerDeploymentVersion(deployment, buildId)))
                .build());
    try {
      stub.start(g.input());
      out.println("rollout: gate " + g.workflowType() + " started pinned to " + version());
    } catch (WorkflowExecutionAlreadyStarted e) {
      // An earlier run of this command started it: its outcome is the gate's.
      stub = client.newUntypedWorkflowStub(id);
      out.println("rollout: gate " + id + " already started; waiting for its outcome");
    }
    try {
      stub.getResult(g.timeout().toMillis(), TimeUnit.MILLISECONDS, JsonNode.class);
      out.println("rollout: gate passed");
    } catch (TimeoutException e) {
      terminate(stub, "did not complete within " + g.timeout().toSeconds() + " s");
      throw new DeployException(
          DeployException.REFUSED,
          "gate "
              + id
              + " did not complete within "
              + g.timeout().toSeconds()
              + " s; "
              + version()
              + " gets no traffic");
    } catch (RuntimeException e) {
      terminate(stub, "failed");
      throw new DeployException(
          DeployException.REFUSED,
          "gate " + id + " failed: " + rootMessage(e) + "; " + version() + " gets no traffic");
    }
  }

  /**
   * A failed gate run must not stay open on the version: its hosts' replay gates would refuse the
   * build for it, and a later rollout with a fixed gate would wait on it.
   */
  private void terminate(WorkflowStub stub, String why) {
    try {
      stub.terminate("drainhost-deploy: the gate " + why);
    } catch (RuntimeException e) {
      // already closed
    }
  }

  /**
   * Ramps to the step's percentage (unless an earlier run got there) and watches the version for
   * the rest of the step; on failures beyond the limit the ramp goes back to 0 and the rollout
   * stops, the current version unchanged.
   */
  private void ramp(RampStep step) {
    Snapshot snap = describe();
    boolean ours = snap.ramping().filter(buildId::equals).isPresent();
    float now = ours ? snap.routing().getRampingVersionPercentage() : 0;
    if (now > step.percent()) {
      return;
    }
    Instant since;
    if (now == step.percent()) {
      since =
          Instant.ofEpochMilli(
              Timestamps.toMillis(snap.routing().getRampingVersionPercentageChangedTime()));
      out.println("rollout: resuming the " + step.percent() + "% step");
    } else {
      try {
        temporal.setRamping(buildId, step.percent(), snap.conflictToken());
      } catch (StatusRuntimeException e) {
        throw conflict(e);
      }
      since = Instant.now();
      out.println("rollout: " + version() + " ramping at " + step.percent() + "%");
    }
    Instant until = since.plus(step.watch());
    Instant rampStart = since.minusSeconds(1);
    Set<String> queues = temporal.taskQueues(buildId);
    while (Instant.now().isBefore(until)) {
      List<String> failing =
          temporal.runsFailingWorkflowTasks(queues, buildId, rampStart.toString(), 50);
      long failed = temporal.failedRunsSince(buildId, rampStart.toString());
      if (failing.size() + failed > maxFailures) {
        rollBackRamp();
        throw new DeployException(
            DeployException.REFUSED,
            version()
                + " failed while ramping at "
                + step.percent()
                + "%: "
                + failing.size()
                + " run(s) failing workflow tasks "
                + failing.stream().limit(5).toList()
                + ", "
                + failed
                + " run(s) failed (--max-failures "
                + maxFailures
                + "); ramp set back to 0, the current version unchanged");
      }
      sleep(Duration.ofSeconds(2));
    }
  }

  private void rollBackRamp() {
    Snapshot snap = describe();
    temporal.setRamping("", 0, snap.conflictToken());
    out.println(
        "rollout: rolled back: no version ramps, " + snap.current().orElse("?") + " current");
  }

  private Snapshot describe() {
    return temporal
        .describe()
        .orElseThrow(
            () ->
                new DeployException(
                    DeployException.UNAVAILABLE, "deployment " + deployment + " vanished"));
  }

  private DeployException conflict(StatusRuntimeException e) {
    return new DeployException(
        DeployException.UNAVAILABLE,
        "Temporal refused the change ("
            + e.getStatus().getCode()
            + ": "
            + e.getStatus().getDescription()
            + "): the deployment changed under this rollout (another rollout?); re-run it");
  }

  private String version() {
    return deployment + ":" + buildId;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage().lines().findFirst().orElse("");
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException(DeployException.UNAVAILABLE, "interrupted");
    }
  }
}
