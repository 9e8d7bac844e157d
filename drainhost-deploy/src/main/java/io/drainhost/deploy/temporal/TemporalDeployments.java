package io.drainhost.deploy.temporal;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.deployment.v1.RoutingConfig;
import io.temporal.api.deployment.v1.WorkerDeploymentInfo;
import io.temporal.api.deployment.v1.WorkerDeploymentVersion;
import io.temporal.api.deployment.v1.WorkerDeploymentVersionInfo;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkerDeploymentRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkerDeploymentResponse;
import io.temporal.api.workflowservice.v1.DescribeWorkerDeploymentVersionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.SetWorkerDeploymentCurrentVersionRequest;
import io.temporal.api.workflowservice.v1.SetWorkerDeploymentRampingVersionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Worker Deployment as Temporal has it, and the changes a rollout makes to it. Every change
 * carries the conflict token of the description it was decided on: a change that another rollout
 * made meanwhile makes Temporal refuse this one, so two rollouts never interleave.
 */
public final class TemporalDeployments {
  private static final String IDENTITY = "drainhost-deploy";

  private final WorkflowServiceStubs stubs;
  private final String namespace;
  private final String deployment;

  public TemporalDeployments(WorkflowServiceStubs stubs, String namespace, String deployment) {
    this.stubs = stubs;
    this.namespace = namespace;
    this.deployment = deployment;
  }

  /** The deployment's routing and versions, with the conflict token of this reading. */
  public record Snapshot(WorkerDeploymentInfo info, ByteString conflictToken) {
    public RoutingConfig routing() {
      return info.getRoutingConfig();
    }

    public Optional<String> current() {
      String b = routing().getCurrentDeploymentVersion().getBuildId();
      return b.isEmpty() ? Optional.empty() : Optional.of(b);
    }

    public Optional<String> ramping() {
      String b = routing().getRampingDeploymentVersion().getBuildId();
      return b.isEmpty() ? Optional.empty() : Optional.of(b);
    }
  }

  /** Empty when the deployment does not exist yet (no host of it has polled). */
  public Optional<Snapshot> describe() {
    try {
      DescribeWorkerDeploymentResponse r =
          retrying(
              () ->
                  stub()
                      .describeWorkerDeployment(
                          DescribeWorkerDeploymentRequest.newBuilder()
                              .setNamespace(namespace)
                              .setDeploymentName(deployment)
                              .build()));
      return Optional.of(new Snapshot(r.getWorkerDeploymentInfo(), r.getConflictToken()));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public Optional<WorkerDeploymentVersionInfo> version(String buildId) {
    try {
      return Optional.of(
          retrying(
                  () ->
                      stub()
                          .describeWorkerDeploymentVersion(
                              DescribeWorkerDeploymentVersionRequest.newBuilder()
                                  .setNamespace(namespace)
                                  .setDeploymentVersion(version(deployment, buildId))
                                  .build()))
              .getWorkerDeploymentVersionInfo());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The task queues (name and type) a version has polled. */
  public Set<String> taskQueues(String buildId) {
    return version(buildId).stream()
        .flatMap(v -> v.getTaskQueueInfosList().stream())
        .map(q -> q.getName() + "/" + q.getType().name())
        .collect(Collectors.toSet());
  }

  public void setCurrent(String buildId, ByteString conflictToken) {
    retrying(
        () ->
            stub()
                .setWorkerDeploymentCurrentVersion(
                    SetWorkerDeploymentCurrentVersionRequest.newBuilder()
                        .setNamespace(namespace)
                        .setDeploymentName(deployment)
                        .setBuildId(buildId)
                        .setConflictToken(conflictToken)
                        .setIdentity(IDENTITY)
                        .build()));
  }

  /** Ramps {@code buildId} to {@code percent}; an empty build id with 0 ends any ramp. */
  public void setRamping(String buildId, float percent, ByteString conflictToken) {
    retrying(
        () ->
            stub()
                .setWorkerDeploymentRampingVersion(
                    SetWorkerDeploymentRampingVersionRequest.newBuilder()
                        .setNamespace(namespace)
                        .setDeploymentName(deployment)
                        .setBuildId(buildId)
                        .setPercentage(percent)
                        .setConflictToken(conflictToken)
                        .setIdentity(IDENTITY)
                        .build()));
  }

  /**
   * The build ids of this deployment whose hosts polled one of {@code taskQueues}' workflow queues
   * within {@code within}, whether or not Temporal lists them as versions (DescribeTaskQueue's
   * pollers carry their deployment options).
   */
  public Set<String> recentPollers(Set<String> taskQueues, java.time.Duration within) {
    long since = System.currentTimeMillis() - within.toMillis();
    Set<String> builds = new java.util.TreeSet<>();
    for (String q : taskQueues) {
      if (!q.endsWith("/TASK_QUEUE_TYPE_WORKFLOW")) {
        continue;
      }
      String name = q.substring(0, q.lastIndexOf('/'));
      retrying(
              () ->
                  stub()
                      .describeTaskQueue(
                          io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest.newBuilder()
                              .setNamespace(namespace)
                              .setTaskQueue(
                                  io.temporal.api.taskqueue.v1.TaskQueue.newBuilder()
                                      .setName(name)
                                      .setKind(
                                          io.temporal.api.enums.v1.TaskQueueKind
                                              .TASK_QUEUE_KIND_NORMAL))
                              .setTaskQueueType(
                                  io.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
                              .build()))
          .getPollersList()
          .stream()
          .filter(p -> p.getDeploymentOptions().getDeploymentName().equals(deployment))
          .filter(p -> com.google.protobuf.util.Timestamps.toMillis(p.getLastAccessTime()) >= since)
          .forEach(p -> builds.add(p.getDeploymentOptions().getBuildId()));
    }
    return builds;
  }

  /** Whether the namespace exists; a typo in it makes every deployment look absent. */
  public boolean namespaceExists() {
    try {
      retrying(
          () ->
              stub()
                  .describeNamespace(
                      io.temporal.api.workflowservice.v1.DescribeNamespaceRequest.newBuilder()
                          .setNamespace(namespace)
                          .build()));
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /** Deletes the version from the deployment; Temporal refuses while it has pollers. */
  public void deleteVersion(String buildId) {
    retrying(
        () ->
            stub()
                .deleteWorkerDeploymentVersion(
                    io.temporal.api.workflowservice.v1.DeleteWorkerDeploymentVersionRequest
                        .newBuilder()
                        .setNamespace(namespace)
                        .setDeploymentVersion(version(deployment, buildId))
                        .setIdentity(IDENTITY)
                        .build()));
  }

  /** Open runs pinned to the version: they need its hosts until they close. */
  public long openPinnedRuns(String buildId) {
    return count(
        "TemporalWorkerDeploymentVersion = '"
            + deployment
            + ":"
            + buildId
            + "' AND TemporalWorkflowVersioningBehavior = 'Pinned' AND ExecutionStatus = 'Running'");
  }

  /** Runs of the version started since {@code sinceIso}. */
  public long startedRunsSince(String buildId, String sinceIso) {
    return count(
        "TemporalWorkerDeploymentVersion = '"
            + deployment
            + ":"
            + buildId
            + "' AND StartTime >= '"
            + sinceIso
            + "'");
  }

  /** A workflow run by id (a gate's): empty when there is none. */
  public Optional<io.temporal.api.workflow.v1.WorkflowExecutionInfo> run(String workflowId) {
    try {
      return Optional.of(
          retrying(
                  () ->
                      stub()
                          .describeWorkflowExecution(
                              DescribeWorkflowExecutionRequest.newBuilder()
                                  .setNamespace(namespace)
                                  .setExecution(
                                      io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                                          .setWorkflowId(workflowId))
                                  .build()))
              .getWorkflowExecutionInfo());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Runs of the version that closed as failed or timed out since {@code sinceIso}. */
  public long failedRunsSince(String buildId, String sinceIso) {
    return count(
        "TemporalWorkerDeploymentVersion = '"
            + deployment
            + ":"
            + buildId
            + "' AND ExecutionStatus IN ('Failed', 'TimedOut') AND CloseTime >= '"
            + sinceIso
            + "'");
  }

  /**
   * Open runs whose current workflow task has been tried more than once: the version's own runs,
   * and the runs started on its task queues since {@code sinceIso} (a run whose first task never
   * completes carries no version yet; while a version ramps, new runs are where it shows). At most
   * {@code limit} examined.
   */
  public List<String> runsFailingWorkflowTasks(
      Set<String> taskQueues, String buildId, String sinceIso, int limit) {
    Set<String> queues =
        taskQueues.stream()
            .filter(q -> q.endsWith("/TASK_QUEUE_TYPE_WORKFLOW"))
            .map(q -> "'" + q.substring(0, q.lastIndexOf('/')) + "'")
            .collect(Collectors.toSet());
    String started =
        queues.isEmpty()
            ? ""
            : " OR (TaskQueue IN ("
                + String.join(", ", queues)
                + ") AND StartTime >= '"
                + sinceIso
                + "')";
    List<WorkflowExecutionInfo> open =
        stub()
            .listWorkflowExecutions(
                ListWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(namespace)
                    .setPageSize(limit)
                    .setQuery(
                        "ExecutionStatus = 'Running' AND (TemporalWorkerDeploymentVersion = '"
                            + deployment
                            + ":"
                            + buildId
                            + "'"
                            + started
                            + ")")
                    .build())
            .getExecutionsList();
    return open.stream()
        .filter(
            e ->
                stub()
                        .describeWorkflowExecution(
                            DescribeWorkflowExecutionRequest.newBuilder()
                                .setNamespace(namespace)
                                .setExecution(e.getExecution())
                                .build())
                        .getPendingWorkflowTask()
                        .getAttempt()
                    > 1)
        .map(e -> e.getExecution().getWorkflowId())
        .toList();
  }

  private long count(String query) {
    return retrying(
            () ->
                stub()
                    .countWorkflowExecutions(
                        CountWorkflowExecutionsRequest.newBuilder()
                            .setNamespace(namespace)
                            .setQuery(query)
                            .build()))
        .getCount();
  }

  public static WorkerDeploymentVersion version(String deployment, String buildId) {
    return WorkerDeploymentVersion.newBuilder()
        .setDeploymentName(deployment)
        .setBuildId(buildId)
        .build();
  }

  private io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub
      stub() {
    return stubs.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /**
   * Runs a call, again after a pause while Temporal answers RESOURCE_EXHAUSTED: it limits the calls
   * per Worker Deployment, and a watched ramp or two rollouts at once can reach that limit.
   */
  public static <T> T retrying(java.util.function.Supplier<T> call) {
    long pauseMs = 500;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        return call.get();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED
            || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(pauseMs + (long) (Math.random() * pauseMs));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        pauseMs = Math.min(pauseMs * 2, 4000);
      }
    }
  }
}
