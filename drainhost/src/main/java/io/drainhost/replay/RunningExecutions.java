package io.drainhost.replay;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The running executions of a task queue, newest first, through visibility. A real server answers a
 * query (its default order is newest first); the SDK's Java test server has no query support, so
 * there its open executions are listed and filtered here.
 */
final class RunningExecutions {
  private static final Comparator<WorkflowExecutionInfo> NEWEST_FIRST =
      Comparator.comparingLong((WorkflowExecutionInfo e) -> e.getStartTime().getSeconds())
          .thenComparingInt(e -> e.getStartTime().getNanos())
          .reversed();

  private final WorkflowServiceStubs stubs;
  private final String namespace;
  private final boolean queryable;
  private final Duration rpcTimeout;
  private final Optional<String> ownVersion;
  private static final int MAX_OPEN = 1000;
  private List<WorkflowExecutionInfo> open;

  /**
   * @param ownVersion the version whose pinned runs only are this build's, as {@code
   *     deployment:buildId}; with it, runs pinned to another version are left out: they never come
   *     to this build
   */
  RunningExecutions(
      WorkflowServiceStubs stubs,
      String namespace,
      boolean queryable,
      Duration rpcTimeout,
      Optional<String> ownVersion) {
    this.ownVersion = ownVersion;
    this.stubs = stubs;
    this.namespace = namespace;
    this.queryable = queryable;
    this.rpcTimeout = rpcTimeout;
  }

  /** At most {@code limit} running executions of {@code type} on {@code taskQueue}. */
  List<WorkflowExecutionInfo> ofType(String taskQueue, String type, int limit) {
    return list(
        "TaskQueue = "
            + quote(taskQueue)
            + " AND WorkflowType = "
            + quote(type)
            + " AND ExecutionStatus = 'Running'",
        e -> e.getTaskQueue().equals(taskQueue) && e.getType().getName().equals(type),
        limit);
  }

  /** At most {@code limit} running executions on {@code taskQueue} of none of {@code types}. */
  List<WorkflowExecutionInfo> ofOtherTypes(String taskQueue, Collection<String> types, int limit) {
    String notIn =
        types.isEmpty()
            ? ""
            : " AND WorkflowType NOT IN ("
                + types.stream().map(RunningExecutions::quote).collect(Collectors.joining(", "))
                + ")";
    return list(
        "TaskQueue = " + quote(taskQueue) + notIn + " AND ExecutionStatus = 'Running'",
        e -> e.getTaskQueue().equals(taskQueue) && !types.contains(e.getType().getName()),
        limit);
  }

  private List<WorkflowExecutionInfo> list(
      String query, Predicate<WorkflowExecutionInfo> matches, int limit) {
    if (queryable) {
      String scoped =
          ownVersion
              .map(
                  v ->
                      query
                          + " AND (TemporalWorkflowVersioningBehavior IS NULL"
                          + " OR TemporalWorkflowVersioningBehavior != 'Pinned'"
                          + " OR TemporalWorkerDeploymentVersion = "
                          + quote(v)
                          + ")")
              .orElse(query);
      return stubs
          .blockingStub()
          .withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .listWorkflowExecutions(
              ListWorkflowExecutionsRequest.newBuilder()
                  .setNamespace(namespace)
                  .setQuery(scoped)
                  .setPageSize(limit)
                  .build())
          .getExecutionsList()
          .stream()
          .limit(limit)
          .toList();
    }
    return openExecutions().stream().filter(matches).sorted(NEWEST_FIRST).limit(limit).toList();
  }

  /**
   * Every open execution, with its task queue, listed once per check: the Java test server lists
   * open executions without their task queue, so each is described (a development server's handful;
   * at most {@link #MAX_OPEN}).
   */
  private synchronized List<WorkflowExecutionInfo> openExecutions() {
    if (open == null) {
      open =
          stubs
              .blockingStub()
              .withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS)
              .listOpenWorkflowExecutions(
                  ListOpenWorkflowExecutionsRequest.newBuilder()
                      .setNamespace(namespace)
                      .setMaximumPageSize(MAX_OPEN)
                      .build())
              .getExecutionsList()
              .stream()
              .limit(MAX_OPEN)
              .map(this::withTaskQueue)
              .toList();
    }
    return open;
  }

  /** The events a run's history has now (0 when it cannot be told). */
  long historyLength(String workflowId, String runId) {
    return describe(
            stubs,
            namespace,
            WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId).build(),
            rpcTimeout)
        .getHistoryLength();
  }

  private WorkflowExecutionInfo withTaskQueue(WorkflowExecutionInfo e) {
    if (!e.getTaskQueue().isEmpty()) {
      return e;
    }
    String queue = describe(stubs, namespace, e.getExecution(), rpcTimeout).getTaskQueue();
    return e.toBuilder().setTaskQueue(queue).build();
  }

  /** One execution as Temporal describes it (without a run id: the newest run). */
  static WorkflowExecutionInfo describe(
      WorkflowServiceStubs stubs, String namespace, WorkflowExecution execution, Duration timeout) {
    return stubs
        .blockingStub()
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace)
                .setExecution(execution)
                .build())
        .getWorkflowExecutionInfo();
  }

  /** A visibility string literal: single quotes, or double quotes for a name that has one. */
  private static String quote(String value) {
    return value.indexOf('\'') < 0 ? "'" + value + "'" : "\"" + value.replace("\"", "") + "\"";
  }
}
