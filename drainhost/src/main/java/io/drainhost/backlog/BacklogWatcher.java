package io.drainhost.backlog;

import io.drainhost.config.Versioning;
import io.drainhost.metrics.MeterNames;
import io.drainhost.threads.DaemonThreads;
import io.drainhost.versioning.VersionDescription;
import io.grpc.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.taskqueue.v1.TaskQueueStats;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkerDeploymentVersionResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the backlog of this host's task queues from Temporal in the background and exports it as
 * gauges, and with {@code DRAINHOST_EMF=on} as Embedded Metric Format lines on stdout: what a
 * service scales on. A versioned host reads its own version's share ({@code
 * DescribeWorkerDeploymentVersion} with task queue stats: the tasks Temporal routes to this build,
 * pinned runs included) and labels it with the deployment and the build id, so that each version's
 * service scales on its own work; an unversioned one reads the whole queue ({@code
 * DescribeTaskQueue} with stats). The gauges are NaN while Temporal does not answer, never a stale
 * number a scaling policy would act on.
 */
public final class BacklogWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BacklogWatcher.class);
  private static final List<TaskQueueType> KINDS =
      List.of(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY);

  /** One gauge per queue and kind for each of these. */
  private record Series(String name, String description, ToDoubleFunction<QueueStats> value) {}

  private static final List<Series> SERIES =
      List.of(
          new Series(MeterNames.TASK_QUEUE_BACKLOG, "approximate backlog", QueueStats::backlog),
          new Series(
              MeterNames.TASK_QUEUE_BACKLOG_AGE,
              "age of the oldest backlogged task",
              QueueStats::backlogAgeSeconds),
          new Series(MeterNames.TASK_QUEUE_ADD_RATE, "tasks added per second", QueueStats::addRate),
          new Series(
              MeterNames.TASK_QUEUE_DISPATCH_RATE,
              "tasks dispatched to pollers per second",
              QueueStats::dispatchRate));

  private final List<String> taskQueues;
  private final Optional<Versioning.Version> version;

  /**
   * The first reading waits for the start to be over: parsing Temporal's first answer took about a
   * tenth of a task's one CPU while its start and replay gate ran.
   */
  static final Duration FIRST_READING_DELAY = Duration.ofSeconds(2);

  private final Duration interval;
  private final Optional<PrintStream> emf;
  private final Map<String, QueueStats> latest = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("drainhost-backlog"));
  private boolean failing;

  public BacklogWatcher(
      List<String> taskQueues,
      Optional<Versioning.Version> version,
      Duration interval,
      Optional<PrintStream> emf,
      MeterRegistry metrics) {
    this.taskQueues = List.copyOf(taskQueues);
    this.version = version;
    this.interval = interval;
    this.emf = emf;
    for (String queue : taskQueues) {
      for (TaskQueueType type : KINDS) {
        for (Series series : SERIES) {
          gauge(metrics, series, queue, kind(type));
        }
      }
    }
  }

  private void gauge(MeterRegistry metrics, Series series, String queue, String kind) {
    Gauge.Builder<Map<String, QueueStats>> gauge =
        Gauge.builder(
                series.name(),
                latest,
                m -> {
                  QueueStats s = m.get(key(queue, kind));
                  return s == null ? Double.NaN : series.value().applyAsDouble(s);
                })
            .tag("task_queue", queue)
            .tag("kind", kind);
    if (version.isPresent()) {
      gauge
          .tag("deployment", version.get().deploymentName())
          .tag("build_id", version.get().buildId())
          .description(
              series.description() + " of this version (its task queue stats; NaN while unknown)");
    } else {
      gauge.description(series.description() + " (DescribeTaskQueue stats; NaN while unknown)");
    }
    gauge.register(metrics);
  }

  /**
   * Reads every interval from {@link #FIRST_READING_DELAY} on (or the interval, if shorter), except
   * while {@code paused} (the drain spends its calls on hand-offs).
   */
  public void start(WorkflowServiceStubs stubs, String namespace, BooleanSupplier paused) {
    log.info(
        "reading task queue backlog: taskQueues={} version={} interval={}ms emf={}",
        taskQueues,
        version.map(Object::toString).orElse("none (the whole queue)"),
        interval.toMillis(),
        emf.isPresent() ? "on" : "off");
    scheduler.scheduleWithFixedDelay(
        () -> {
          if (!paused.getAsBoolean()) {
            refresh(stubs, namespace);
          }
        },
        Math.min(interval.toMillis(), FIRST_READING_DELAY.toMillis()),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** The last reading of one queue and kind, if Temporal gave one. */
  public Optional<QueueStats> latest(String taskQueue, String kind) {
    return Optional.ofNullable(latest.get(key(taskQueue, kind)));
  }

  void refresh(WorkflowServiceStubs stubs, String namespace) {
    if (version.isPresent()) {
      refreshVersion(stubs, namespace, version.get());
      return;
    }
    Instant now = Instant.now();
    for (String queue : taskQueues) {
      for (TaskQueueType type : KINDS) {
        String kind = kind(type);
        try {
          TaskQueueStats stats =
              stubs
                  .blockingStub()
                  .withDeadlineAfter(5, TimeUnit.SECONDS)
                  .describeTaskQueue(
                      DescribeTaskQueueRequest.newBuilder()
                          .setNamespace(namespace)
                          .setTaskQueue(TaskQueue.newBuilder().setName(queue))
                          .setTaskQueueType(type)
                          .setReportStats(true)
                          .build())
                  .getStats();
          record(stats(queue, kind, stats), now);
        } catch (RuntimeException e) {
          latest.remove(key(queue, kind));
          if (unimplemented(e)) {
            return;
          }
          failed(e);
        }
      }
    }
  }

  /**
   * One call for every queue of this version: the server counts, per task queue and kind, the tasks
   * it routes to this build. A queue it does not list (not polled by this build yet) is unknown.
   */
  private void refreshVersion(WorkflowServiceStubs stubs, String namespace, Versioning.Version v) {
    Instant now = Instant.now();
    List<DescribeWorkerDeploymentVersionResponse.VersionTaskQueue> queues;
    try {
      queues = VersionDescription.of(stubs, namespace, v, true).getVersionTaskQueuesList();
    } catch (RuntimeException e) {
      latest.clear();
      if (Status.fromThrowable(e).getCode() == Status.Code.NOT_FOUND) {
        return; // the version exists once this build has polled: nothing to count before
      }
      if (!unimplemented(e)) {
        failed(e);
      }
      return;
    }
    Map<String, QueueStats> read = new java.util.HashMap<>();
    for (DescribeWorkerDeploymentVersionResponse.VersionTaskQueue q : queues) {
      if (taskQueues.contains(q.getName()) && KINDS.contains(q.getType())) {
        String kind = kind(q.getType());
        read.put(key(q.getName(), kind), stats(q.getName(), kind, q.getStats()));
      }
    }
    latest.keySet().retainAll(read.keySet());
    read.values().forEach(s -> record(s, now));
  }

  private QueueStats stats(String queue, String kind, TaskQueueStats stats) {
    return new QueueStats(
        queue,
        kind,
        stats.getApproximateBacklogCount(),
        stats.getApproximateBacklogAge().getSeconds()
            + stats.getApproximateBacklogAge().getNanos() / 1e9,
        stats.getTasksAddRate(),
        stats.getTasksDispatchRate());
  }

  private void record(QueueStats s, Instant now) {
    latest.put(key(s.taskQueue(), s.kind()), s);
    emf.ifPresent(out -> out.println(EmfLine.of(s, version, now)));
    if (failing) {
      failing = false;
      log.info("task queue backlog readable again");
    }
  }

  /** A server that reports no stats: the watcher stops, once, saying so. */
  private boolean unimplemented(RuntimeException e) {
    if (Status.fromThrowable(e).getCode() != Status.Code.UNIMPLEMENTED) {
      return false;
    }
    log.info(
        "task queue backlog not reported by this Temporal server (task queue stats"
            + " unimplemented): no backlog metrics");
    scheduler.shutdown();
    return true;
  }

  private void failed(RuntimeException e) {
    if (!failing) {
      failing = true;
      log.warn("cannot read task queue backlog (will keep trying): error={}", e.toString());
    }
  }

  private static String key(String queue, String kind) {
    return queue + "\u0000" + kind;
  }

  static String kind(TaskQueueType type) {
    return type == TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW ? "workflow" : "activity";
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
