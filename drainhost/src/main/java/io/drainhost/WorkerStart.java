package io.drainhost;

import io.drainhost.config.HostConfig;
import io.drainhost.config.Versioning;
import io.drainhost.lifecycle.HostState;
import io.drainhost.lifecycle.Lifecycle;
import io.drainhost.lifecycle.Managed;
import io.drainhost.replay.BuildRecord;
import io.drainhost.replay.OncePerBuild;
import io.drainhost.replay.ReplayCheck;
import io.drainhost.replay.ReplayGate;
import io.drainhost.replay.ReplayReport;
import io.drainhost.temporal.ConnectionMonitor;
import io.drainhost.temporal.TemporalConnection;
import io.drainhost.temporal.WorkerHost;
import io.drainhost.threads.DaemonThreads;
import io.drainhost.workflows.WorkflowTypes;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the workers poll: once Temporal answers, and, against a real cluster, once the replay gate
 * has replayed the running histories on this build's code. A refused build never polls; the host
 * drains instead (and exits 4). The whole gate, its wait for Temporal included, is bounded by the
 * replay timeout from the start, so a task is ready or refused within it.
 */
final class WorkerStart implements Managed {
  private static final Logger log = LoggerFactory.getLogger(WorkerStart.class);

  private final HostConfig config;
  private final TemporalConnection connection;
  private final ConnectionMonitor monitor;
  private final WorkerHost workers;
  private final WorkflowTypes workflowTypes;
  private final ReplayGate gate;
  private final Lifecycle lifecycle;
  private final Consumer<String> drain;
  private final AtomicBoolean gateBegun = new AtomicBoolean();
  private volatile long gateDeadline;
  private volatile Thread deadlineThread;

  WorkerStart(
      HostConfig config,
      TemporalConnection connection,
      ConnectionMonitor monitor,
      WorkerHost workers,
      WorkflowTypes workflowTypes,
      ReplayGate gate,
      Lifecycle lifecycle,
      Consumer<String> drain) {
    this.config = config;
    this.connection = connection;
    this.monitor = monitor;
    this.workers = workers;
    this.workflowTypes = workflowTypes;
    this.gate = gate;
    this.lifecycle = lifecycle;
    this.drain = drain;
  }

  @Override
  public String name() {
    return "start_workers_on_connect";
  }

  /** Registers for Temporal's answers; called before the connection monitor starts. */
  @Override
  public void start() {
    gateDeadline = System.nanoTime() + config.replay().timeout().toNanos();
    if (gate.enabled() && connection.embedded()) {
      // Nothing to replay: the workers start with the first connection, as without a gate.
      gate.skip("the embedded Temporal starts empty: no running history to replay");
    } else if (gate.enabled()) {
      workers.hold();
      Thread t = DaemonThreads.named("drainhost-replay-deadline").newThread(this::atGateDeadline);
      deadlineThread = t;
      t.start();
    }
    monitor.onConnected(this::onConnected);
  }

  @Override
  public void stop() {
    Thread t = deadlineThread;
    if (t != null) {
      t.interrupt();
    }
  }

  /** Runs on the monitor thread after each successful Temporal check. */
  private void onConnected(boolean afterOutage) {
    HostState s = lifecycle.state();
    if (s != HostState.STARTING && s != HostState.SERVING) {
      return;
    }
    if (gate.gating() && gateBegun.compareAndSet(false, true)) {
      // Not on the monitor thread: the check may take its whole timeout, and the monitor must
      // keep telling the HTTP layer whether Temporal answers meanwhile.
      DaemonThreads.named("drainhost-replay-gate").newThread(this::runGate).start();
      return;
    }
    if (afterOutage) {
      workers.restart();
    } else if (!workers.polling()) {
      workers.start(); // does nothing while polling is suspended or held
    }
  }

  /**
   * At the gate's deadline, a gate that never began (Temporal did not answer) is {@code
   * incomplete}: no evidence, so the host turns ready and its workers poll once Temporal answers.
   */
  private void atGateDeadline() {
    try {
      Thread.sleep(Math.max(0, (gateDeadline - System.nanoTime()) / 1_000_000));
    } catch (InterruptedException e) {
      return;
    }
    if (gateBegun.compareAndSet(false, true)) {
      gate.notReached(config.replay().timeout());
      workers.release();
    }
  }

  /**
   * The check of this build: shared with the build's other hosts through its record in Temporal
   * when the host is versioned; alone when it is not (no build to share with), and on the Java test
   * server, whose visibility answers no query.
   */
  private ReplayReport check(WorkerHost.ReplayWorkers replayWorkers) {
    Function<Map<String, Long>, ReplayCheck> checks =
        recorded ->
            StandaloneReplayCheck.check(
                config,
                connection,
                workflowTypes,
                replayWorkers,
                Duration.ofNanos(Math.max(0, gateDeadline - System.nanoTime())),
                recorded);
    Optional<Versioning.Version> version = config.versioning().deployment();
    if (version.isEmpty() || connection.isJavaTestServer()) {
      return checks.apply(Map.of()).run();
    }
    BuildRecord record =
        new BuildRecord(
            connection.stubs(),
            connection.namespace(),
            connection.identity(),
            version.get().toString(),
            workflowTypes.namesByTaskQueue(),
            config.replay().sample(),
            config.requestTimeout());
    return OncePerBuild.check(record, gateDeadline, checks);
  }

  /**
   * Replays the newest running histories before the first poll; the workers poll afterwards unless
   * the check failed in {@code enforce} mode, when the host drains and exits instead.
   */
  private void runGate() {
    boolean poll;
    try (WorkerHost.ReplayWorkers replayWorkers = workers.replayWorkers()) {
      poll = gate.check(() -> check(replayWorkers));
    } catch (RuntimeException e) {
      // Only evidence blocks: a check that could not run is no reason to keep a fleet down.
      gate.couldNotRun(e);
      poll = true;
    }
    if (!poll) {
      drain.accept("replay_failed");
      return;
    }
    workers.release();
    HostState s = lifecycle.state();
    if (s == HostState.STARTING || s == HostState.SERVING) {
      try {
        workers.start();
      } catch (RuntimeException e) {
        log.warn(
            "workers not started yet: {}; they start at the next Temporal check", e.toString());
      }
    }
  }
}
