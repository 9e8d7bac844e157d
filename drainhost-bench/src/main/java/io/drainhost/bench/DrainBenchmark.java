package io.drainhost.bench;

import io.drainhost.samples.SleepResult;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.DrainReports;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code bench-drain}: measures, in one run on one machine, what a SIGTERM costs with drainhost and
 * with a plain Temporal worker that calls {@code shutdown()} + {@code awaitTermination} from a
 * shutdown hook. Prints a table; it asserts nothing (figures, not a test).
 */
public final class DrainBenchmark {
  /** The two programs under test. */
  enum Subject {
    PLAIN("plain worker + shutdown hook"),
    DRAINHOST("drainhost");

    final String label;

    Subject(String label) {
      this.label = label;
    }
  }

  /** A run whose conditions did not hold: its figures would mislead, so none are printed. */
  static final class NotReported extends RuntimeException {
    NotReported(String message) {
      super("not reported: " + message);
    }
  }

  private final int idleRounds;
  private final int activities;
  private final int activitySeconds;
  private final Duration sigtermAt;
  private final Duration stragglerShutdown = Duration.ofSeconds(3);
  private int temporalPort;
  private WorkflowClient client;

  private final TemporalServer.Kind server;

  public DrainBenchmark(
      TemporalServer.Kind server,
      int idleRounds,
      int activities,
      int activitySeconds,
      Duration sigtermAt) {
    this.server = server;
    this.sigtermAt = sigtermAt;
    this.idleRounds = idleRounds;
    this.activities = activities;
    this.activitySeconds = activitySeconds;
  }

  public int run() {
    try (TemporalServer dev = TemporalServer.start(server)) {
      temporalPort = dev.port();
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget("127.0.0.1:" + temporalPort)
                  .build());
      client = WorkflowClient.newInstance(stubs);
      List<String> rows = new ArrayList<>();
      for (Subject s : Subject.values()) {
        System.out.printf("measuring %s ...%n", s.label);
        long idle = idleExit(s);
        Busy busy = busy(s);
        Straggler straggler = straggler(s);
        rows.add(
            String.format(
                "| %-29s | %12d | %14d | %15s | %21s | %14s |",
                s.label,
                idle,
                busy.exitMs,
                busy.overheadMs == null ? "n/a" : busy.overheadMs.toString(),
                busy.finished
                    + "/"
                    + activities
                    + " finished, "
                    + (activities - busy.finished)
                    + " failed",
                straggler.describe()));
      }
      System.out.println();
      System.out.printf(
          "SIGTERM on this machine (%d cores), %s Temporal server; idle = median of %d; busy = %d heartbeating %d s activities, SIGTERM %d ms after the last started%n",
          Runtime.getRuntime().availableProcessors(),
          server.option(),
          idleRounds,
          activities,
          activitySeconds,
          sigtermAt.toMillis());
      System.out.println(
          "| subject                       | idle exit ms | busy exit ms   | busy overhead ms | in-flight activities  | straggler next attempt |");
      System.out.println(
          "|-------------------------------|-------------:|---------------:|----------------:|-----------------------|----------------|");
      rows.forEach(System.out::println);
      System.out.println();
      System.out.println(
          "busy overhead = exit time minus the end of the last in-flight activity (n/a when activities failed).");
      System.out.printf(
          "straggler = a %d s activity that cannot finish: time from the drain deadline (drainhost, %d s shutdown timeout)%n",
          30, stragglerShutdown.toSeconds());
      System.out.println(
          "  or from SIGTERM (plain: it has no deadline) to the next attempt running on another host, and where it resumed.");
      stubs.shutdownNow();
      dev.stop();
    }
    return 0;
  }

  /**
   * Idle stops only, drainhost and the plain worker in turns, the ratio taken pair by pair: what CI
   * guards, so that a regression of the exit (a thread left in native code holds HotSpot's exit up
   * to 300 ms) fails the build without an absolute bound a noisy machine would break.
   */
  public int runIdle() {
    try (TemporalServer dev = TemporalServer.start(server)) {
      temporalPort = dev.port();
      List<Long> drainhost = new ArrayList<>();
      List<Long> plain = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      List<Long> pollWaits = new ArrayList<>();
      for (int i = 0; i < idleRounds; i++) {
        IdleStop d = idleExitOnce(Subject.DRAINHOST);
        long p = idleExitOnce(Subject.PLAIN).exitMs();
        drainhost.add(d.exitMs());
        plain.add(p);
        pollWaits.add(d.stopPollingMs());
        ratios.add((double) d.exitMs() / p);
        System.out.printf(
            "round %d: drainhost %d ms (stop_polling %d ms), plain worker %d ms%n",
            i + 1, d.exitMs(), d.stopPollingMs(), p);
      }
      System.out.printf(
          "idle SIGTERM→exit, %s Temporal server, median of %d: drainhost %.0f ms, plain worker"
              + " (shutdown hook) %.0f ms, ratio %.2f%n",
          server.option(),
          idleRounds,
          BenchSupport.median(drainhost),
          BenchSupport.median(plain),
          BenchSupport.median(ratios));
      // The server's own poll cancellation (frontend.enableCancelWorkerPollsOnShutdown, set through
      // DRAINHOST_TEMPORAL_DYNAMIC_CONFIG) shortens this step, the host's wait for its open polls.
      Map<String, String> dynamicConfig = TemporalServer.fromEnvironment();
      System.out.printf(
          "the drain's poll wait (its stop_polling step), median of %d: %.0f ms (min %d, max %d);"
              + " server dynamic config: %s%n",
          idleRounds,
          BenchSupport.median(pollWaits),
          pollWaits.stream().mapToLong(Long::longValue).min().orElse(-1),
          pollWaits.stream().mapToLong(Long::longValue).max().orElse(-1),
          dynamicConfig.isEmpty() ? "none" : dynamicConfig);
      dev.stop();
    }
    return 0;
  }

  private ChildProcess startSubject(Subject s, String queue, Map<String, String> extra) {
    ChildProcess host =
        s == Subject.PLAIN
            ? BenchJar.start(
                "plain", LocalHosts.hostEnv(temporalPort, queue, extra), "plain-worker")
            : ChildProcess.start("drainhost", LocalHosts.hostEnv(temporalPort, queue, extra));
    host.awaitLog("workers started", Duration.ofSeconds(60));
    return host;
  }

  private long idleExit(Subject s) {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < idleRounds; i++) {
      times.add(idleExitOnce(s).exitMs());
    }
    return Math.round(BenchSupport.median(times));
  }

  /** An idle stop: SIGTERM to exit, and the drain report's stop_polling step (-1: none, plain). */
  private record IdleStop(long exitMs, long stopPollingMs) {}

  /** SIGTERM to exit of an idle subject, by the parent's own wait for the process. */
  private IdleStop idleExitOnce(Subject s) {
    try (ChildProcess host = startSubject(s, "idle-" + UUID.randomUUID(), Map.of())) {
      ChildProcess.sleep(Duration.ofMillis(500));
      long t0 = System.nanoTime();
      host.signal("TERM");
      host.awaitExit(Duration.ofSeconds(60));
      long exitMs = (System.nanoTime() - t0) / 1_000_000;
      return new IdleStop(exitMs, DrainReports.number(host.output(), "stop_polling").orElse(-1));
    }
  }

  private record Busy(long exitMs, Long overheadMs, int finished) {}

  /**
   * SIGTERM a fixed time ({@code sigtermAt}) after the last busy activity started, measured from
   * the server's start times, whatever the catcher's startup takes; a run in which the catcher was
   * not ready by then, or in which an activity had already ended at SIGTERM, is refused, not
   * reported.
   */
  private Busy busy(Subject s) {
    String queue = "busy-" + UUID.randomUUID();
    try (ChildProcess host = startSubject(s, queue, Map.of())) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < activities; i++) {
        ids.add(BenchSupport.startSleep(client, queue, queue + "-" + i, activitySeconds));
      }
      BenchSupport.awaitActivitiesRunning(client, ids, Duration.ofSeconds(30));
      long lastStart = 0;
      long firstStart = Long.MAX_VALUE;
      for (String id : ids) {
        long started = BenchSupport.activityStartedMillis(client, id);
        lastStart = Math.max(lastStart, started);
        firstStart = Math.min(firstStart, started);
      }
      // The catcher runs the attempts a plain worker leaves behind; it starts after the busy
      // activities run so that it takes none of them.
      try (ChildProcess catcher = startSubject(Subject.DRAINHOST, queue, Map.of())) {
        catcher.awaitHttpPort();
        catcher.awaitLog("workers started", Duration.ofSeconds(60));
        long sigtermAtWall = lastStart + sigtermAt.toMillis();
        long early = sigtermAtWall - System.currentTimeMillis();
        if (early < 0) {
          throw new NotReported(
              String.format(
                  "the catcher became ready %d ms after the planned SIGTERM (%d ms"
                      + " into the activities); raise --sigterm-at",
                  -early, sigtermAt.toMillis()));
        }
        ChildProcess.sleep(Duration.ofMillis(early));
        long sigtermWall = System.currentTimeMillis();
        long t0 = System.nanoTime();
        host.signal("TERM");
        host.awaitExit(Duration.ofSeconds(60));
        long exitMs = (System.nanoTime() - t0) / 1_000_000;
        long exitWall = sigtermWall + exitMs;
        int finished = 0;
        long lastEnd = 0;
        for (String id : ids) {
          SleepResult r = BenchSupport.result(client, id);
          if (r.attempts() == 1) {
            long end = firstCompletionMillis(id);
            if (end <= sigtermWall) {
              throw new NotReported(id + " had finished before SIGTERM: it was not in flight");
            }
            finished++;
            lastEnd = Math.max(lastEnd, end);
          }
        }
        System.out.printf(
            "  %s: SIGTERM %d–%d ms into the %d activities (planned %d ms)%n",
            s.label,
            sigtermWall - lastStart,
            sigtermWall - firstStart,
            activities,
            sigtermAt.toMillis());
        catcher.signal("TERM");
        catcher.awaitExit(Duration.ofSeconds(60));
        Long overhead = finished == activities ? exitWall - lastEnd : null;
        return new Busy(exitMs, overhead, finished);
      }
    }
  }

  private long firstCompletionMillis(String workflowId) {
    for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        return e.getEventTime().getSeconds() * 1000 + e.getEventTime().getNanos() / 1_000_000;
      }
    }
    throw new IllegalStateException("no completed activity in " + workflowId);
  }

  private record Straggler(long gapMs, int resumedFrom, String from) {
    String describe() {
      return gapMs + " ms after " + from + ", resumed at " + resumedFrom + " s";
    }
  }

  private Straggler straggler(Subject s) {
    String queue = "straggler-" + UUID.randomUUID();
    Map<String, String> extra =
        Map.of(
            "DRAINHOST_SHUTDOWN_TIMEOUT", stragglerShutdown.toSeconds() + "s",
            "DRAINHOST_STOP_TIMEOUT", (stragglerShutdown.toSeconds() + 4) + "s",
            "DRAINHOST_HANDOFF_MARGIN", "3s");
    try (ChildProcess host = startSubject(s, queue, extra)) {
      String id = BenchSupport.startSleep(client, queue, queue, 30);
      BenchSupport.awaitActivitiesRunning(client, List.of(id), Duration.ofSeconds(30));
      try (ChildProcess catcher = startSubject(Subject.DRAINHOST, queue, Map.of())) {
        int catcherPort = catcher.awaitHttpPort();
        ChildProcess.sleep(Duration.ofMillis(2000));
        long t0 = System.nanoTime();
        host.signal("TERM");
        long picked = 0;
        while (picked == 0 && System.nanoTime() - t0 < Duration.ofSeconds(60).toNanos()) {
          if (BenchSupport.inflightAttempt(catcherPort, id) >= 2) {
            picked = System.nanoTime();
          } else {
            ChildProcess.sleep(Duration.ofMillis(10));
          }
        }
        host.awaitExit(Duration.ofSeconds(60));
        SleepResult r = BenchSupport.result(client, id);
        catcher.signal("TERM");
        catcher.awaitExit(Duration.ofSeconds(60));
        long fromSigterm = (picked - t0) / 1_000_000;
        return s == Subject.DRAINHOST
            ? new Straggler(fromSigterm - stragglerShutdown.toMillis(), r.resumedFrom(), "deadline")
            : new Straggler(fromSigterm, r.resumedFrom(), "SIGTERM");
      }
    }
  }
}
