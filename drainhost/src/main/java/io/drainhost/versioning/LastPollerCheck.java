package io.drainhost.versioning;

import io.drainhost.config.Versioning;
import io.drainhost.lifecycle.DepartureCheck;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * At a drain: is this host the last one polling for its Worker Deployment Version while pinned runs
 * of that version are still open? They can run only on a host of this version, and will wait for
 * one; the operator should know before the last task of an old version goes.
 */
public final class LastPollerCheck implements DepartureCheck {
  private final WorkflowServiceStubs stubs;
  private final String namespace;
  private final String identity;
  private final Versioning.Version version;
  private final Collection<String> taskQueues;

  public LastPollerCheck(
      WorkflowServiceStubs stubs,
      String namespace,
      String identity,
      Versioning.Version version,
      Collection<String> taskQueues) {
    this.stubs = stubs;
    this.namespace = namespace;
    this.identity = identity;
    this.version = version;
    this.taskQueues = taskQueues;
  }

  @Override
  public Optional<String> warning() {
    for (String queue : taskQueues) {
      for (PollerInfo p :
          stubs
              .blockingStub()
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .describeTaskQueue(
                  DescribeTaskQueueRequest.newBuilder()
                      .setNamespace(namespace)
                      .setTaskQueue(
                          TaskQueue.newBuilder()
                              .setName(queue)
                              .setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                      .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
                      .build())
              .getPollersList()) {
        if (!p.getIdentity().equals(identity)
            && p.getDeploymentOptions().getDeploymentName().equals(version.deploymentName())
            && p.getDeploymentOptions().getBuildId().equals(version.buildId())) {
          return Optional.empty();
        }
      }
    }
    long pinned =
        stubs
            .blockingStub()
            .withDeadlineAfter(2, TimeUnit.SECONDS)
            .countWorkflowExecutions(
                CountWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(namespace)
                    .setQuery(
                        "TemporalWorkerDeploymentVersion = '"
                            + version
                            + "' AND TemporalWorkflowVersioningBehavior = 'Pinned'"
                            + " AND ExecutionStatus = 'Running'")
                    .build())
            .getCount();
    return pinned == 0
        ? Optional.empty()
        : Optional.of(
            "this host is the last poller of version "
                + version
                + ", which has "
                + pinned
                + " open pinned runs: they wait for a host of this version");
  }
}
