package io.drainhost.versioning;

import io.drainhost.config.Versioning;
import io.temporal.api.deployment.v1.WorkerDeploymentVersion;
import io.temporal.api.workflowservice.v1.DescribeWorkerDeploymentVersionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkerDeploymentVersionResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.concurrent.TimeUnit;

/**
 * One {@code DescribeWorkerDeploymentVersion} of this host's version, as the background watchers
 * read it: within 5 s, with the task queues' stats when asked (the backlog per version).
 */
public final class VersionDescription {
  private VersionDescription() {}

  public static DescribeWorkerDeploymentVersionResponse of(
      WorkflowServiceStubs stubs,
      String namespace,
      Versioning.Version version,
      boolean taskQueueStats) {
    return stubs
        .blockingStub()
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .describeWorkerDeploymentVersion(
            DescribeWorkerDeploymentVersionRequest.newBuilder()
                .setNamespace(namespace)
                .setDeploymentVersion(
                    WorkerDeploymentVersion.newBuilder()
                        .setDeploymentName(version.deploymentName())
                        .setBuildId(version.buildId()))
                .setReportTaskQueueStats(taskQueueStats)
                .build());
  }
}
