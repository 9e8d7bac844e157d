package io.drainhost.temporal;

import io.drainhost.config.HostConfig;
import io.drainhost.config.StickyExecution;
import io.drainhost.tracking.ActivityAttempts;
import io.drainhost.tracking.InflightItem;
import io.drainhost.tracking.InflightRegistry;
import io.drainhost.tracking.TrackingSlotSupplier;
import io.drainhost.tracking.TrackingWorkerInterceptor;
import io.drainhost.tracking.WorkKind;
import io.temporal.activity.ActivityInfo;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.tuning.ActivitySlotInfo;
import io.temporal.worker.tuning.CompositeTuner;
import io.temporal.worker.tuning.FixedSizeSlotSupplier;
import io.temporal.worker.tuning.WorkflowSlotInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal workers of this host: one worker on the configured task queue, with the user's
 * workflows and activities, tracked slot suppliers and the tracking interceptor. Built on the first
 * successful connection, because the SDK checks the namespace at start and because the sticky
 * decision depends on which server answers.
 */
public final class WorkerHost {
  private static final Logger log = LoggerFactory.getLogger(WorkerHost.class);
  static final int SLOTS = 200;

  private final HostConfig config;
  private final TemporalConnection connection;
  private final List<Class<?>> workflowTypes;
  private final List<Object> activities;
  private final InflightRegistry registry;
  private final ActivityAttempts attempts;
  private volatile WorkerFactory factory;
  private volatile boolean stickyExecution;
  private volatile boolean stopped;
  private volatile boolean suspended;
  private final List<WorkerFactory> retiring = new CopyOnWriteArrayList<>();

  public WorkerHost(
      HostConfig config,
      TemporalConnection connection,
      List<Class<?>> workflowTypes,
      List<Object> activities,
      InflightRegistry registry,
      ActivityAttempts attempts) {
    this.config = config;
    this.connection = connection;
    this.workflowTypes = List.copyOf(workflowTypes);
    this.activities = List.copyOf(activities);
    this.registry = registry;
    this.attempts = attempts;
  }

  /** Starts polling; throws while the server is unreachable, and may then be called again. */
  public synchronized void start() {
    if (stopped || (factory != null && factory.isStarted())) {
      return;
    }
    if (factory == null) {
      factory = newFactory();
    }
    if (!startCurrent()) {
      return;
    }
    log.info(
        "workers started: taskQueue={} identity={} stickyExecution={}",
        config.taskQueue(), connection.identity(), stickyExecution);
  }

  /**
   * Replaces the workers after a Temporal outage. The SDK's pollers recover by themselves, but
   * their backoff grows to a minute during an outage; fresh workers poll at once. The old
   * workers stop polling and finish what they run (tracked as before, in the same registry).
   */
  public synchronized void restart() {
    WorkerFactory old = factory;
    if (stopped || old == null || !old.isStarted()) {
      start();
      return;
    }
    factory = newFactory();
    retiring.add(old);
    old.shutdown();
    if (!startCurrent()) {
      return;
    }
    retiring.removeIf(WorkerFactory::isTerminated);
    log.info("workers restarted after a Temporal outage: taskQueue={}", config.taskQueue());
  }

  /** Starts the current factory in the host's polling state; false when a drain began meanwhile. */
  private boolean startCurrent() {
    factory.start();
    if (stopped) {
      // A drain began while the factory was starting and saw no factory to stop.
      factory.shutdown();
      return false;
    }
    if (suspended) {
      factory.suspendPolling();
    }
    return true;
  }

  public boolean started() {
    WorkerFactory f = factory;
    return f != null && f.isStarted() && !f.isShutdown();
  }

  /** Every factory that may still run tasks: the current one and those retired by restarts. */
  private List<WorkerFactory> all() {
    List<WorkerFactory> all = new ArrayList<>(retiring);
    WorkerFactory f = factory;
    if (f != null) {
      all.add(f);
    }
    return all;
  }

  private WorkerFactory newFactory() {
    stickyExecution = decideSticky();
    WorkerFactory f =
        WorkerFactory.newInstance(
            connection.client(),
            WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(new TrackingWorkerInterceptor(attempts))
                // The default 250 ms check interval would add up to 250 ms to every drain.
                .setShutdownCheckInterval(Duration.ofMillis(10))
                .build());
    WorkerOptions.Builder options =
        WorkerOptions.newBuilder()
            .setIdentity(connection.identity())
            .setWorkerTuner(tuner())
            // Without this the SDK stops heartbeats at shutdown() and the server times out
            // activities that are finishing inside the drain, so they would run twice.
            .setAllowActivityHeartbeatDuringShutdown(true);
    if (!stickyExecution) {
      options.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
    }
    Worker worker = f.newWorker(config.taskQueue(), options.build());
    worker.registerWorkflowImplementationTypes(workflowTypes.toArray(new Class<?>[0]));
    worker.registerActivitiesImplementations(activities.toArray());
    return f;
  }

  private boolean decideSticky() {
    StickyExecution mode = config.stickyExecution();
    if (mode != StickyExecution.AUTO) {
      return mode == StickyExecution.ON;
    }
    if (connection.isJavaTestServer()) {
      log.info(
          "sticky execution off: the server is the SDK's Java test server, which never re-routes a"
              + " stopped worker's sticky queue (set DRAINHOST_STICKY_EXECUTION=on to override)");
      return false;
    }
    return true;
  }

  private CompositeTuner tuner() {
    return new CompositeTuner(
        new TrackingSlotSupplier<WorkflowSlotInfo>(
            new FixedSizeSlotSupplier<>(SLOTS), registry, WorkerHost::describe),
        new TrackingSlotSupplier<ActivitySlotInfo>(
            new FixedSizeSlotSupplier<>(SLOTS), registry, WorkerHost::describe),
        new FixedSizeSlotSupplier<>(SLOTS),
        new FixedSizeSlotSupplier<>(SLOTS));
  }

  private static InflightItem describe(WorkflowSlotInfo slot) {
    return new InflightItem(
        WorkKind.WORKFLOW_TASK, slot.getWorkflowId(), slot.getRunId(), slot.getWorkflowType(), 0,
        Instant.now(), new byte[0]);
  }

  private static InflightItem describe(ActivitySlotInfo slot) {
    ActivityInfo info = slot.getActivityInfo();
    return new InflightItem(
        WorkKind.ACTIVITY, info.getWorkflowId(), info.getRunId(), info.getActivityType(),
        info.getAttempt(), Instant.now(), info.getTaskToken());
  }

  /** Stops polling and tells the server this worker is going; running tasks go on. */
  public void stopPolling() {
    stopped = true;
    for (WorkerFactory f : all()) {
      if (suspended && f.isStarted()) {
        // Suspended pollers wait on a latch that a graceful shutdown never releases (it would
        // wait out the whole shutdown timeout). Resumed just before the shutdown, a poller can at
        // worst take one more task, which this drain then runs or hands off like any other.
        f.resumePolling();
      }
      f.shutdown();
    }
  }

  /** Interrupts what still runs: used after the hand-off, when those attempts are no longer ours. */
  public void interruptRemaining() {
    all().forEach(WorkerFactory::shutdownNow);
  }

  /** Waits until every worker thread is done or the timeout passes; true when all are done. */
  public boolean awaitTermination(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean done = true;
    for (WorkerFactory f : all()) {
      if (!f.isStarted()) {
        continue;
      }
      long left = deadline - System.nanoTime();
      if (left > 0) {
        f.awaitTermination(left, TimeUnit.NANOSECONDS);
      }
      done &= f.isTerminated();
    }
    return done;
  }

  /** Stops taking new tasks without shutting down; running tasks go on. Survives restarts. */
  public synchronized void suspendPolling() {
    suspended = true;
    WorkerFactory f = factory;
    if (f != null && started()) {
      f.suspendPolling();
    }
  }

  public synchronized void resumePolling() {
    suspended = false;
    WorkerFactory f = factory;
    if (f != null && started()) {
      f.resumePolling();
    }
  }

  public boolean stickyExecution() {
    return stickyExecution;
  }
}
