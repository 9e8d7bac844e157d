package io.drainhost.deploy.pipeline;

import com.google.protobuf.util.Timestamps;
import io.drainhost.deploy.workflow.ReleaseWorkflow;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Who polls the tool's task queue lately, as Temporal saw it: a controller (any worker that is not
 * a command's own local worker), local workers, or nobody (a release then pauses).
 */
public final class Workers {
  /** The identity prefix of a command's local worker. */
  public static final String LOCAL = "drainhost-deploy-local ";

  /**
   * A poll is at most about a minute long: a worker seen within this is running (a stopped one
   * stays listed for minutes).
   */
  static final Duration RECENT = Duration.ofSeconds(90);

  private final List<PollerInfo> pollers;
  private final Instant now;

  private Workers(List<PollerInfo> pollers, Instant now) {
    this.pollers = pollers;
    this.now = now;
  }

  public static Workers of(WorkflowServiceStubs stubs, String namespace) {
    return new Workers(
        stubs
            .blockingStub()
            .describeTaskQueue(
                DescribeTaskQueueRequest.newBuilder()
                    .setNamespace(namespace)
                    .setTaskQueue(TaskQueue.newBuilder().setName(ReleaseWorkflow.TASK_QUEUE))
                    .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
                    .build())
            .getPollersList(),
        Instant.now());
  }

  private boolean recent(PollerInfo p) {
    return p.hasLastAccessTime()
        && Instant.ofEpochMilli(Timestamps.toMillis(p.getLastAccessTime()))
            .isAfter(now.minus(RECENT));
  }

  /** A controller polls: it runs the releases' steps. */
  public boolean controller() {
    return pollers.stream().anyMatch(p -> recent(p) && !p.getIdentity().startsWith(LOCAL));
  }

  /** Any worker polls: a release moves. */
  public boolean any() {
    return pollers.stream().anyMatch(this::recent);
  }
}
