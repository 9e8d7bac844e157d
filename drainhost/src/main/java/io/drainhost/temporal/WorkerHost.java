package io.drainhost.temporal;

import io.drainhost.config.HostConfig;
import io.drainhost.config.SlotLimits;
import io.drainhost.config.StickyExecution;
import io.drainhost.config.Versioning;
import io.drainhost.tracking.ActivityAttempts;
import io.drainhost.tracking.ActivityDurations;
import io.drainhost.tracking.InflightRegistry;
import io.drainhost.tracking.PollGate;
import io.drainhost.tracking.TrackingWorkerInterceptor;
import io.temporal.common.VersioningBehavior;
import io.temporal.common.WorkerDeploymentVersion;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerDeploymentOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal workers of this host: one worker per task queue the builder registered work on, each
 * with tracked slot suppliers, all in one factory with the tracking interceptor. Built on the first
 * successful connection, because the SDK checks the namespace at start and because the sticky
 * decision depends on which server answers.
 */
public final class WorkerHost {
  private static final Logger log = LoggerFactory.getLogger(WorkerHost.class);

  private final HostConfig config;
  private final TemporalConnection connection;
  private final List<WorkerSpec> workers;
  private final WorkerTuners tuners;
  private final ActivityAttempts attempts;
  private final ActivityDurations durations;
  private final List<WorkerInterceptor> extraInterceptors;
  private final BooleanSupplier namespaceThrottled;

  /** The factory that polls now, or is about to; null while suspended. */
  private volatile WorkerFactory factory;

  /** Each factory's poll gate: closed when the factory is retired or the host drains. */
  private final java.util.Map<WorkerFactory, PollGate> gates =
      new java.util.concurrent.ConcurrentHashMap<>();

  private volatile boolean stickyExecution;
  private volatile boolean stopped;
  private volatile boolean suspended;

  /** True until the replay gate lets the workers poll (see {@link #hold()}). */
  private volatile boolean held;

  private final List<WorkerFactory> retiring = new CopyOnWriteArrayList<>();

  /** How long a replayed workflow thread may hold the CPU before the SDK calls it a deadlock. */
  private static final Duration REPLAY_DEADLOCK_TIMEOUT = Duration.ofSeconds(10);

  public WorkerHost(
      HostConfig config,
      TemporalConnection connection,
      List<WorkerSpec> workers,
      InflightRegistry registry,
      ActivityAttempts attempts,
      ActivityDurations durations,
      BooleanSupplier namespaceThrottled,
      List<WorkerInterceptor> extraInterceptors) {
    this.namespaceThrottled = namespaceThrottled;
    this.extraInterceptors = List.copyOf(extraInterceptors);
    this.config = config;
    this.connection = connection;
    this.workers = List.copyOf(workers);
    this.tuners = new WorkerTuners(registry);
    this.attempts = attempts;
    this.durations = durations;
  }

  /**
   * Starts polling; throws while the server is unreachable, and may then be called again. Does
   * nothing while polling is suspended or after {@link #stopPolling()}.
   */
  public synchronized void start() {
    if (stopped || suspended || held || (factory != null && factory.isStarted())) {
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
        taskQueues(),
        connection.identity(),
        stickyExecution);
  }

  /**
   * Replaces the workers after a Temporal outage. The SDK's pollers recover by themselves, but
   * their backoff grows to a minute during an outage; fresh workers poll at once. The old workers
   * stop polling and finish what they run (tracked as before, in the same registry).
   */
  public synchronized void restart() {
    WorkerFactory old = factory;
    if (stopped || suspended || held || old == null || !old.isStarted()) {
      start();
      return;
    }
    retire(old);
    factory = newFactory();
    if (!startCurrent()) {
      return;
    }
    log.info("workers restarted after a Temporal outage: taskQueues={}", taskQueues());
  }

  /** Starts the current factory; false when a drain began meanwhile. */
  private boolean startCurrent() {
    factory.start();
    if (stopped) {
      // A drain began while the factory was starting and saw no factory to stop.
      stop(factory);
      return false;
    }
    return true;
  }

  /**
   * Stops a factory's polling for good and keeps it until what it runs has finished. Its {@code
   * ShutdownWorker} call makes a real server end the outstanding long polls (a suspended SDK poller
   * would still take one task per outstanding poll) and re-route the sticky queue, so workflows
   * cached here move on to other hosts at once.
   */
  private void retire(WorkerFactory old) {
    retiring.removeIf(this::forget);
    retiring.add(old);
    stop(old);
  }

  /** Closes the factory's poll gate first, so no poller polls again, then shuts it down. */
  private void stop(WorkerFactory f) {
    PollGate gate = gates.get(f);
    if (gate != null) {
      gate.close();
    }
    f.shutdown();
  }

  private boolean forget(WorkerFactory f) {
    if (f.isTerminated()) {
      gates.remove(f);
      return true;
    }
    return false;
  }

  /** True while a factory of this host polls for new tasks. */
  public boolean polling() {
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

  private WorkerInterceptor[] interceptors() {
    List<WorkerInterceptor> all = new ArrayList<>();
    all.add(new TrackingWorkerInterceptor(attempts, durations, namespaceThrottled));
    all.addAll(extraInterceptors);
    return all.toArray(new WorkerInterceptor[0]);
  }

  /**
   * Keeps the workers from polling until {@link #release()}: {@link #start()} and the restarts
   * after an outage do nothing meanwhile. The replay gate holds them before the first poll.
   */
  public void hold() {
    held = true;
  }

  /** Lets the workers poll; they start at the next {@link #start()}. */
  public void release() {
    held = false;
  }

  /**
   * Workers of this build, one per task queue with workflow types, that never poll: the replay gate
   * replays histories on them. Same registrations and interceptors as the polling workers, so a
   * replay runs the code a poll would.
   */
  public ReplayWorkers replayWorkers() {
    return new ReplayWorkers(this::newReplayWorkers);
  }

  private ReplayWorkers.Made newReplayWorkers() {
    WorkerFactory f = WorkerFactory.newInstance(connection.client(), factoryOptions());
    java.util.Map<String, Worker> byQueue = new java.util.LinkedHashMap<>();
    for (WorkerSpec spec : workers) {
      if (!spec.workflowTypes().isEmpty()) {
        WorkerOptions.Builder options =
            WorkerOptions.newBuilder()
                .setIdentity(connection.identity())
                // The SDK's 1 s deadlock detector takes a replay on a CPU shared with the host's
                // start (and other replays) for a deadlock; a replay is bounded by the gate anyway.
                .setDefaultDeadlockDetectionTimeout(REPLAY_DEADLOCK_TIMEOUT.toMillis());
        deploymentOptions().ifPresent(options::setDeploymentOptions);
        Worker worker = f.newWorker(spec.taskQueue(), options.build());
        worker.registerWorkflowImplementationTypes(spec.workflowTypes().toArray(new Class<?>[0]));
        byQueue.put(spec.taskQueue(), worker);
      }
    }
    return new ReplayWorkers.Made(f, byQueue);
  }

  /**
   * The replay workers of {@link #replayWorkers()}, made for the first history to replay: a gate
   * with no running history makes none (on a task's one CPU they cost its start ~50 ms). Closing
   * them frees their threads.
   */
  public static final class ReplayWorkers implements AutoCloseable {
    record Made(WorkerFactory factory, java.util.Map<String, Worker> byQueue) {}

    private final java.util.function.Supplier<Made> make;
    private Made made;
    private boolean closed;

    ReplayWorkers(java.util.function.Supplier<Made> make) {
      this.make = make;
    }

    public synchronized Worker of(String taskQueue) {
      if (closed) {
        throw new IllegalStateException("the replay workers are closed");
      }
      if (made == null) {
        made = make.get();
      }
      return made.byQueue().get(taskQueue);
    }

    @Override
    public synchronized void close() {
      closed = true;
      if (made != null) {
        made.factory().shutdownNow();
      }
    }
  }

  private WorkerFactoryOptions factoryOptions() {
    return WorkerFactoryOptions.newBuilder()
        .setWorkerInterceptors(interceptors())
        // The default 250 ms check interval would add up to 250 ms to every drain.
        .setShutdownCheckInterval(Duration.ofMillis(10))
        .build();
  }

  private WorkerFactory newFactory() {
    stickyExecution = decideSticky();
    PollGate gate = new PollGate();
    WorkerFactory f = WorkerFactory.newInstance(connection.client(), factoryOptions());
    for (WorkerSpec spec : workers) {
      SlotLimits limits = spec.slots(config.slots());
      WorkerOptions.Builder options =
          WorkerOptions.newBuilder()
              .setIdentity(connection.identity())
              .setWorkerTuner(tuners.tuner(spec.taskQueue(), limits, gate))
              // Without this the SDK stops heartbeats at shutdown() and the server times out
              // activities that are finishing inside the drain, so they would run twice.
              .setAllowActivityHeartbeatDuringShutdown(true);
      if (!stickyExecution) {
        options.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
      }
      deploymentOptions().ifPresent(options::setDeploymentOptions);
      Worker worker = f.newWorker(spec.taskQueue(), options.build());
      if (!spec.workflowTypes().isEmpty()) {
        worker.registerWorkflowImplementationTypes(spec.workflowTypes().toArray(new Class<?>[0]));
      }
      if (!spec.activities().isEmpty()) {
        worker.registerActivitiesImplementations(spec.activities().toArray());
      }
    }
    gates.put(f, gate);
    return f;
  }

  /**
   * With a deployment name, every worker joins this build's Worker Deployment Version; workflow
   * types without {@code @WorkflowVersioningBehavior} get the configured default.
   */
  private java.util.Optional<WorkerDeploymentOptions> deploymentOptions() {
    return config
        .versioning()
        .deployment()
        .map(
            v ->
                WorkerDeploymentOptions.newBuilder()
                    .setUseVersioning(true)
                    .setVersion(new WorkerDeploymentVersion(v.deploymentName(), v.buildId()))
                    .setDefaultVersioningBehavior(
                        config.versioning().defaultBehavior() == Versioning.Behavior.PINNED
                            ? VersioningBehavior.PINNED
                            : VersioningBehavior.AUTO_UPGRADE)
                    .build());
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

  private List<String> taskQueues() {
    return workers.stream().map(WorkerSpec::taskQueue).toList();
  }

  /** Stops polling and tells the server this worker is going; running tasks go on. */
  public synchronized void stopPolling() {
    stopped = true;
    for (WorkerFactory f : all()) {
      stop(f);
    }
  }

  /**
   * Interrupts what still runs: used after the hand-off, when those attempts are no longer ours.
   */
  public void interruptRemaining() {
    all().forEach(WorkerFactory::shutdownNow);
  }

  /**
   * Waits until every activity attempt's thread has left the activity (after {@link
   * #interruptRemaining}), or the timeout passes. Only those threads: waiting for the whole worker
   * factory to terminate takes the full timeout on every drain that had a straggler.
   */
  public boolean awaitAttemptsEnded(Duration timeout) {
    try {
      return attempts.awaitNoneRunning(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits until no poll of these workers is outstanding, or the timeout passes; true when none is.
   * A poll the server answers after the drain began still delivers its task here; one answered with
   * a task that a hand-off just asked to run again would start that attempt on this host, where
   * nothing would run it (the workers are stopping) until its timeout.
   */
  public boolean awaitPollsEnded(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!gates.values().stream().allMatch(PollGate::quiet)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /**
   * Stops taking new tasks, including those that outstanding long polls would deliver: the polling
   * factory is retired (see {@link #retire}); running tasks go on. The SDK's own {@code
   * suspendPolling()} is not enough: it stops new polls but a poll already waiting on the server
   * (up to 70 s on a real cluster) still delivers a task.
   */
  public synchronized void suspendPolling() {
    if (suspended) {
      return;
    }
    suspended = true;
    WorkerFactory f = factory;
    factory = null;
    if (f != null && f.isStarted()) {
      retire(f);
      log.info("polling suspended: taskQueues={}", taskQueues());
    }
  }

  /**
   * Starts fresh workers after a suspension; throws while Temporal is unreachable (retried on
   * connect).
   */
  public synchronized void resumePolling() {
    if (!suspended) {
      return;
    }
    suspended = false;
    if (!stopped) {
      start();
      log.info("polling resumed: taskQueues={}", taskQueues());
    }
  }

  public boolean stickyExecution() {
    return stickyExecution;
  }
}
