package io.drainhost.bench;

import io.drainhost.samples.BenchmarkInput;
import io.drainhost.samples.SleepInput;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code bench-drain --scenario mixed}: a SIGTERM with the default 25 s shutdown timeout while
 * activities that fit and activities that cannot are in flight, of two types (Sleep, heartbeating;
 * Work, not), after a warm-up that gives drainhost's {@code auto} policy its history. For drainhost
 * and for the plain worker with a shutdown hook: how many that fit finished on attempt 1, and the
 * time from SIGTERM to each straggler's next attempt on another host.
 */
final class MixedDrainBenchmark {
  private static final int SHORT_S = 3;
  private static final int LONG_S = 40;
  private static final int STRAGGLER_S = 90;

  /** The stragglers start this long before SIGTERM: long enough to outlive the short mode. */
  private static final Duration STRAGGLERS_LEAD = Duration.ofSeconds(7);

  /** The attempts that fit start this long before SIGTERM. */
  private static final Duration FITS_LEAD = Duration.ofSeconds(1);

  private final TemporalServer.Kind server;
  private WorkflowClient client;
  private int temporalPort;

  MixedDrainBenchmark(TemporalServer.Kind server) {
    this.server = server;
  }

  private record Row(
      String subject, int fitsOnFirstAttempt, int fits, List<Long> stragglerMs, int stragglers) {}

  int run() {
    List<Row> rows = new ArrayList<>();
    try (TemporalServer dev = TemporalServer.start(server)) {
      temporalPort = dev.port();
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(dev.address()).build());
      client = WorkflowClient.newInstance(stubs);
      for (DrainBenchmark.Subject s : DrainBenchmark.Subject.values()) {
        System.out.printf("measuring %s (mixed) ...%n", s.label);
        rows.add(measure(s));
      }
      stubs.shutdownNow();
      dev.stop();
    }
    System.out.println();
    System.out.printf(
        "mixed SIGTERM, %s Temporal server, 25 s shutdown timeout (%d cores): warm-up of %d s and %d s"
            + " attempts of both types; stragglers %d s, started %d s before SIGTERM%n",
        server.option(),
        Runtime.getRuntime().availableProcessors(),
        SHORT_S,
        LONG_S,
        STRAGGLER_S,
        STRAGGLERS_LEAD.toSeconds());
    System.out.println(
        "| subject | attempts that fit it ran, finished on attempt 1 | straggler's next attempt after SIGTERM: median / max | each straggler (ms) |");
    System.out.println("|---|---:|---:|---|");
    for (Row r : rows) {
      List<Long> ms = r.stragglerMs();
      System.out.printf(
          "| %s | %d of %d | %s | %s |%n",
          r.subject(),
          r.fitsOnFirstAttempt(),
          r.fits(),
          ms.size() < r.stragglers()
              ? (r.stragglers() - ms.size())
                  + " of "
                  + r.stragglers()
                  + " not picked up within 60 s"
              : Math.round(BenchSupport.median(ms))
                  + " / "
                  + ms.stream().mapToLong(Long::longValue).max().orElse(0)
                  + " ms",
          ms);
    }
    return 0;
  }

  private Row measure(DrainBenchmark.Subject s) {
    String queue = "mixed-" + UUID.randomUUID();
    Map<String, String> env = LocalHosts.hostEnv(temporalPort, queue, Map.of());
    try (ChildProcess subject =
        s == DrainBenchmark.Subject.PLAIN
            ? BenchJar.start("plain", env, "plain-worker")
            : ChildProcess.start("drainhost", env)) {
      subject.awaitLog("workers started", Duration.ofSeconds(60));
      // Warm-up, on the subject alone: both types, short and long attempts.
      List<String> warmUp = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        warmUp.add(sleep(queue, "warm-sleep-s-" + i, SHORT_S));
        warmUp.add(sleep(queue, "warm-sleep-l-" + i, LONG_S));
        warmUp.add(work(queue, "warm-work-s-" + i, SHORT_S));
        warmUp.add(work(queue, "warm-work-l-" + i, LONG_S));
      }
      warmUp.forEach(id -> client.newUntypedWorkflowStub(id).getResult(Object.class));

      Map<String, String> stragglers = new LinkedHashMap<>();
      for (int i = 0; i < 3; i++) {
        stragglers.put(sleep(queue, "straggler-sleep-" + i, STRAGGLER_S), "Sleep");
        stragglers.put(work(queue, "straggler-work-" + i, STRAGGLER_S), "Work");
      }
      long stragglersStarted = System.nanoTime();
      BenchSupport.awaitActivitiesRunning(
          client, new ArrayList<>(stragglers.keySet()), Duration.ofSeconds(30));
      // The catcher is up before the attempts that fit start, so SIGTERM lands FITS_LEAD after
      // them whatever its startup (its replay gate) takes. It polls the same queue, so it takes
      // some of them: only those the subject runs are counted.
      try (ChildProcess catcher = ChildProcess.start("catcher", env)) {
        int catcherPort = catcher.awaitHttpPort();
        catcher.awaitLog("workers started", Duration.ofSeconds(60));
        String catcherIdentity = catcherIdentity(catcherPort);
        long leadLeft =
            STRAGGLERS_LEAD.minus(FITS_LEAD).toNanos() - (System.nanoTime() - stragglersStarted);
        ChildProcess.sleep(Duration.ofNanos(Math.max(0, leadLeft)));
        List<String> started = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          started.add(sleep(queue, "fits-sleep-s-" + i, SHORT_S));
          started.add(work(queue, "fits-work-s-" + i, SHORT_S));
        }
        for (int i = 0; i < 2; i++) {
          started.add(sleep(queue, "fits-sleep-m-" + i, 15));
          started.add(work(queue, "fits-work-m-" + i, 15));
        }
        BenchSupport.awaitActivitiesRunning(client, started, Duration.ofSeconds(30));
        List<String> fits = new ArrayList<>();
        long lastFitStart = 0;
        for (String id : started) {
          PendingActivityInfo attempt = BenchSupport.runningAttempt(client, id);
          if (!attempt.getLastWorkerIdentity().equals(catcherIdentity)) {
            fits.add(id);
            lastFitStart = Math.max(lastFitStart, BenchSupport.startedMillis(attempt));
          }
        }
        if (fits.isEmpty()) {
          throw new DrainBenchmark.NotReported("the catcher took every attempt that fits");
        }
        long early = lastFitStart + FITS_LEAD.toMillis() - System.currentTimeMillis();
        if (early < 0) {
          throw new DrainBenchmark.NotReported(
              "SIGTERM would land "
                  + (FITS_LEAD.toMillis() - early)
                  + " ms after the fits started");
        }
        ChildProcess.sleep(Duration.ofMillis(early));
        long sigterm = System.nanoTime();
        System.out.printf(
            "  %s: %d of %d attempts that fit run on it; SIGTERM %d ms after the last of them"
                + " started, %d ms after the stragglers%n",
            s.label,
            fits.size(),
            started.size(),
            System.currentTimeMillis() - lastFitStart,
            (sigterm - stragglersStarted) / 1_000_000);
        subject.signal("TERM");
        Map<String, Long> pickedUp = new LinkedHashMap<>();
        while (pickedUp.size() < stragglers.size()
            && System.nanoTime() - sigterm < Duration.ofSeconds(60).toNanos()) {
          for (String id : stragglers.keySet()) {
            if (!pickedUp.containsKey(id) && BenchSupport.inflightAttempt(catcherPort, id) >= 2) {
              pickedUp.put(id, (System.nanoTime() - sigterm) / 1_000_000);
            }
          }
          ChildProcess.sleep(Duration.ofMillis(10));
        }
        int fitOnFirst = 0;
        for (String id : fits) {
          client.newUntypedWorkflowStub(id).getResult(Object.class);
          if (completedOnFirstAttempt(id)) {
            fitOnFirst++;
          }
        }
        subject.awaitExit(Duration.ofSeconds(60));
        catcher.signal("KILL");
        return new Row(
            s.label,
            fitOnFirst,
            fits.size(),
            new ArrayList<>(pickedUp.values()),
            stragglers.size());
      }
    }
  }

  private static String catcherIdentity(int port) {
    try {
      return BenchSupport.getJson(port, "/inflight").path("host").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private boolean completedOnFirstAttempt(String workflowId) {
    for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        return e.getActivityTaskStartedEventAttributes().getAttempt() == 1;
      }
    }
    return false;
  }

  private String sleep(String queue, String id, int seconds) {
    return start(queue, id, "SleepWorkflow", new SleepInput(seconds));
  }

  private String work(String queue, String id, int seconds) {
    return start(
        queue, id, "BenchmarkWorkflow", new BenchmarkInput("multi-activity", 1, seconds * 1000));
  }

  private String start(String queue, String id, String type, Object input) {
    String workflowId = id + "-" + queue;
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            type,
            WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(workflowId).build());
    stub.start(input);
    return workflowId;
  }
}
