package io.drainhost.deploy.observe;

import com.google.protobuf.Timestamp;
import io.drainhost.deploy.aws.EcsServices;
import io.drainhost.deploy.aws.Scaling;
import io.drainhost.deploy.aws.TaskDefinitions;
import io.drainhost.deploy.plan.Observed;
import io.drainhost.deploy.plan.Release;
import io.drainhost.deploy.temporal.TemporalDeployments;
import io.temporal.api.deployment.v1.WorkerDeploymentInfo.WorkerDeploymentVersionSummary;
import io.temporal.api.enums.v1.VersionDrainageStatus;
import io.temporal.api.enums.v1.WorkerDeploymentVersionStatus;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One look at a deployment, once per pass: its routing and versions in Temporal, its services in
 * ECS, their autoscaling targets, and for a release its gate runs and how it fares in its watch
 * window. Reads only; what to do is the planner's.
 */
public final class Observer {
  /** A version's host polled within this long: it is up, and may take work back. */
  private static final Duration POLLING_WITHIN = Duration.ofMinutes(2);

  private final Observed.Scope scope;
  private final TemporalDeployments temporal;
  private final EcsServices ecs;
  private final TaskDefinitions taskDefinitions;
  private final Scaling scaling;
  private final Clock clock;

  public Observer(
      Observed.Scope scope,
      TemporalDeployments temporal,
      EcsServices ecs,
      TaskDefinitions taskDefinitions,
      Scaling scaling,
      Clock clock) {
    this.scope = scope;
    this.temporal = temporal;
    this.ecs = ecs;
    this.taskDefinitions = taskDefinitions;
    this.scaling = scaling;
    this.clock = clock;
  }

  /** What is there now; with a release, its gates and its watch window's failures too. */
  public Observed observe(Optional<Release> release) {
    Instant now = clock.instant();
    Optional<TemporalDeployments.Snapshot> snap = temporal.describe();
    Optional<Observed.Routing> routing = snap.map(Observer::routing);
    // Each version's task queues once; the pollers of all of them once, for every version.
    List<WorkerDeploymentVersionSummary> summaries =
        snap.map(s -> s.info().getVersionSummariesList()).orElse(List.of());
    Map<String, Set<String>> taskQueues = new HashMap<>();
    for (WorkerDeploymentVersionSummary v : summaries) {
      String buildId = v.getDeploymentVersion().getBuildId();
      taskQueues.put(buildId, temporal.taskQueues(buildId));
    }
    Set<String> queues = new java.util.TreeSet<>();
    taskQueues.values().forEach(queues::addAll);
    Set<String> recentlyPolled = temporal.recentPollers(queues, POLLING_WITHIN);
    Map<String, Observed.Version> versions = new HashMap<>();
    for (WorkerDeploymentVersionSummary v : summaries) {
      Observed.Version version = version(v, taskQueues, recentlyPolled);
      versions.put(version.buildId(), version);
    }
    Map<String, EcsServices.VersionService> described = ecs.byBuildId();
    Set<String> scaled =
        scaling.registered(
            described.values().stream()
                .map(EcsServices.VersionService::name)
                .collect(Collectors.toSet()));
    Map<String, Observed.Service> services = new HashMap<>();
    described.forEach(
        (buildId, s) -> {
          Optional<TaskDefinitions.Runs> runs =
              Optional.ofNullable(s.described().taskDefinition()).map(taskDefinitions::runs);
          services.put(
              buildId,
              new Observed.Service(
                  s.name(),
                  buildId,
                  s.desired(),
                  s.running(),
                  s.createdAt(),
                  s.rolloutFailed(),
                  scaled.contains(s.name()),
                  runs.map(TaskDefinitions.Runs::image),
                  runs.flatMap(TaskDefinitions.Runs::namespace)));
        });
    Map<String, Observed.GateRun> gates = new HashMap<>();
    Optional<Observed.Health> health = Optional.empty();
    if (release.isPresent()) {
      Release r = release.get();
      for (String id : r.gateIds()) {
        temporal.run(id).ifPresent(e -> gates.put(id, gate(id, e)));
      }
      Set<String> released = taskQueues.getOrDefault(r.buildId(), Set.of());
      health =
          routing.flatMap(rt -> window(rt, r)).map(since -> health(r.buildId(), released, since));
    }
    return new Observed(now, scope, routing, versions, services, gates, health, recentlyPolled);
  }

  /** The start of the release's watch window: its ramp step, or its promotion within the window. */
  private static Optional<Instant> window(Observed.Routing routing, Release r) {
    if (routing.ramping().filter(r.buildId()::equals).isPresent()) {
      return Optional.of(routing.rampChangedAt());
    }
    if (routing.current().filter(r.buildId()::equals).isPresent() && !r.rollbackWindow().isZero()) {
      return Optional.of(routing.currentChangedAt());
    }
    return Optional.empty();
  }

  private Observed.Health health(String buildId, Set<String> taskQueues, Instant since) {
    // A second of slack: visibility's times and the routing change's come from different clocks.
    String from = since.minusSeconds(1).toString();
    List<String> failing = temporal.runsFailingWorkflowTasks(taskQueues, buildId, from, 50);
    long failed = temporal.failedRunsSince(buildId, from);
    long started = temporal.startedRunsSince(buildId, from);
    return new Observed.Health(
        since, started, failed, failing.size(), failing.stream().limit(5).toList());
  }

  private Observed.Version version(
      WorkerDeploymentVersionSummary v,
      Map<String, Set<String>> taskQueues,
      Set<String> recentlyPolled) {
    String buildId = v.getDeploymentVersion().getBuildId();
    Optional<Instant> lastCurrent = optional(v.getLastCurrentTime());
    return new Observed.Version(
        buildId,
        status(v.getStatus()),
        instant(v.getCreateTime()),
        lastCurrent,
        retiredSince(v),
        taskQueues.get(buildId),
        lastCurrent.isPresent() && recentlyPolled.contains(buildId),
        temporal.openPinnedRuns(buildId),
        optional(v.getFirstActivationTime()));
  }

  /**
   * Since when the version is out of use: drained (since its drainage last changed), or inactive
   * and never current (since it was created).
   */
  private static Optional<Instant> retiredSince(WorkerDeploymentVersionSummary v) {
    if (v.getDrainageStatus() == VersionDrainageStatus.VERSION_DRAINAGE_STATUS_DRAINED
        || v.getStatus()
            == WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINED) {
      Timestamp t = v.getDrainageInfo().getLastChangedTime();
      return Optional.of(t.getSeconds() == 0 ? instant(v.getRoutingUpdateTime()) : instant(t));
    }
    boolean neverCurrent = v.getLastCurrentTime().getSeconds() == 0;
    if (neverCurrent
        && (v.getStatus() == WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_INACTIVE
            || v.getStatus()
                == WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_CREATED)) {
      return Optional.of(instant(v.getCreateTime()));
    }
    return Optional.empty();
  }

  private static Observed.Status status(WorkerDeploymentVersionStatus s) {
    return switch (s) {
      case WORKER_DEPLOYMENT_VERSION_STATUS_CURRENT -> Observed.Status.CURRENT;
      case WORKER_DEPLOYMENT_VERSION_STATUS_RAMPING -> Observed.Status.RAMPING;
      case WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING -> Observed.Status.DRAINING;
      case WORKER_DEPLOYMENT_VERSION_STATUS_DRAINED -> Observed.Status.DRAINED;
      case WORKER_DEPLOYMENT_VERSION_STATUS_INACTIVE -> Observed.Status.INACTIVE;
      default -> Observed.Status.CREATED;
    };
  }

  private static Observed.Routing routing(TemporalDeployments.Snapshot s) {
    var r = s.routing();
    return new Observed.Routing(
        s.current(),
        s.ramping(),
        r.getRampingVersionPercentage(),
        instant(r.getRampingVersionPercentageChangedTime()),
        instant(r.getCurrentVersionChangedTime()),
        s.conflictToken().toByteArray());
  }

  private static Observed.GateRun gate(String id, WorkflowExecutionInfo e) {
    WorkflowExecutionStatus status = e.getStatus();
    boolean closed = status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    return new Observed.GateRun(
        id,
        closed,
        status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
        instant(e.getStartTime()));
  }

  private static Optional<Instant> optional(Timestamp t) {
    return t.getSeconds() == 0 ? Optional.empty() : Optional.of(instant(t));
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
