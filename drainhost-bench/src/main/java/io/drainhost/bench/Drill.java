package io.drainhost.bench;

import com.google.protobuf.Timestamp;
import io.drainhost.samples.SleepResult;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.ContainerEngine;
import io.drainhost.testing.EcsTaskDefinition;
import io.drainhost.testing.TemporalServer;
import io.drainhost.threads.DaemonThreads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowTaskFailedEventAttributes;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code drill}: a rolling deployment under load, end to end. A Temporal server, N drainhost hosts
 * behind a real HAProxy, a constant stream of starts mixing short and long SleepWorkflows, and
 * every host replaced in turn for several rounds, then new code deployed. The hosts are processes
 * restarted in place ({@link ProcessFleet}: the deploy's breaking build is refused beside the
 * fleet, then v2-patched rolls out) or containers of the image run from the task definition and
 * replaced as ECS replaces tasks ({@link ContainerFleet}: the deploy's breaking image never turns
 * healthy and the replacement stops there). Passes only when no started workflow is lost or failed,
 * no history holds a failed workflow task, no client saw anything but a 201, every host exited 0
 * and the breaking build was refused (exit 4, never polled).
 */
public final class Drill {
  /** The drill's shape; the defaults are CI's short configuration. */
  public record Options(
      TemporalServer.Kind server,
      int hosts,
      int rounds,
      double rate,
      int shortSeconds,
      int longSeconds,
      int longEvery,
      Duration shutdownTimeout,
      boolean deploy,
      boolean containers,
      Optional<String> image,
      Path context) {}

  private final Options options;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String queue = "drill-" + run;
  private final Map<String, String> outcomes = new ConcurrentHashMap<>();
  private final List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Set<String> longStarted = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> handoffWaitMs = new ConcurrentHashMap<>();
  private final AtomicLong sent = new AtomicLong();
  private final DrillFleet.Report fleetReport = new DrillFleet.Report();
  private int temporalPort;
  private WorkflowClient client;
  private long mixedVersionFailures;

  public Drill(Options options) {
    this.options = options;
  }

  public int run() {
    if (!HaProxy.installed()) {
      System.err.println(
          "drainhost drill: haproxy not found; install it (apt-get install haproxy)");
      return 2;
    }
    try (TemporalServer dev = TemporalServer.start(options.server())) {
      temporalPort = dev.port();
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget("127.0.0.1:" + temporalPort)
                  .build());
      client = WorkflowClient.newInstance(stubs);
      DrillFleet built;
      try {
        built = fleet();
      } catch (RuntimeException e) {
        System.err.println("drainhost drill: " + e.getMessage());
        return 1;
      }
      try (DrillFleet fleet = built) {
        fleet.start();
        try (HaProxy lb = HaProxy.start(fleet.slots())) {
          if (fleet instanceof ContainerFleet containers) {
            containers.routedBy(lb);
          }
          awaitHealthy(lb.port, Duration.ofSeconds(30));
          ScheduledExecutorService load = startLoad(lb.port);
          ScheduledExecutorService watcher = watchHandoffs();
          sleep(Duration.ofSeconds(3));
          for (int round = 1; round <= options.rounds(); round++) {
            for (int i = 0; i < options.hosts(); i++) {
              fleet.replace(Integer.toString(round), i);
              sleep(Duration.ofSeconds(2));
            }
          }
          if (options.deploy()) {
            fleet.deploy();
          }
          sleep(Duration.ofSeconds(2));
          load.shutdown();
          load.awaitTermination(30, TimeUnit.SECONDS);
          awaitResponses(Duration.ofSeconds(30));
          Verdict verdict = verify();
          watcher.shutdownNow();
          fleet.stopAll();
          report(verdict);
          return passed(verdict) ? 0 : 1;
        }
      } finally {
        stubs.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /** The hosts as processes, or as containers of the image (built here unless given). */
  private DrillFleet fleet() {
    if (!options.containers()) {
      return new ProcessFleet(options, temporalPort, queue, fleetReport);
    }
    ContainerEngine engine =
        ContainerEngine.find()
            .orElseThrow(
                () -> new IllegalStateException("drill --hosts container needs podman or docker"));
    String image =
        options
            .image()
            .orElseGet(
                () ->
                    ImageBuild.build(
                        engine, options.context(), "localhost/drainhost-drill:" + run));
    return new ContainerFleet(
        options,
        temporalPort,
        queue,
        fleetReport,
        engine,
        EcsTaskDefinition.read(options.context().resolve("ecs/task-definition.json")),
        image,
        // A build of the samples whose change breaks the running SleepWorkflows: a release that
        // must never turn healthy.
        ImageBuild.withEnvironment(
            engine,
            image,
            "localhost/drainhost-drill-breaking:" + run,
            "DRAINHOST_SAMPLES_VARIANT=v2-breaking"));
  }

  static void awaitHealthy(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (ready(port)) {
        return;
      }
      sleep(Duration.ofMillis(100));
    }
    throw new IllegalStateException("127.0.0.1:" + port + " not healthy within " + timeout);
  }

  /** Whether the host on {@code port} answers its readiness check with 200 now. */
  static boolean ready(int port) {
    try {
      return BenchSupport.HTTP
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (java.io.IOException e) {
      return false; // not up yet, or gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private ScheduledExecutorService startLoad(int lbPort) {
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("drill-load"));
    long periodMicros = (long) (1_000_000 / options.rate());
    URI uri = URI.create("http://127.0.0.1:" + lbPort + "/executions");
    ticker.scheduleAtFixedRate(
        () -> {
          long n = sent.incrementAndGet();
          boolean isLong = n % options.longEvery() == 0;
          String id = "drill-" + run + "-" + n + (isLong ? "-long" : "-short");
          int seconds = isLong ? options.longSeconds() : options.shortSeconds();
          String body =
              "{\"workflowType\":\"SleepWorkflow\",\"workflowId\":\""
                  + id
                  + "\",\"input\":{\"seconds\":"
                  + seconds
                  + "}}";
          outcomes.put(id, "pending");
          BenchSupport.HTTP
              .sendAsync(
                  HttpRequest.newBuilder(uri)
                      .timeout(Duration.ofSeconds(30))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .whenComplete(
                  (r, error) -> {
                    String outcome = error != null ? "io_error" : Integer.toString(r.statusCode());
                    if (!"201".equals(outcome) && refusals.size() < 10) {
                      // What a client saw, for the report: the host's JSON or HAProxy's page.
                      String what = error != null ? error.toString() : r.body();
                      refusals.add(
                          outcome
                              + " "
                              + (what.length() > 200 ? what.substring(0, 200) : what)
                                  .replace('\n', ' '));
                    }
                    outcomes.put(id, outcome);
                    if (isLong && "201".equals(outcome)) {
                      longStarted.add(id);
                    }
                  });
        },
        0,
        periodMicros,
        TimeUnit.MICROSECONDS);
    return ticker;
  }

  private void awaitResponses(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (outcomes.containsValue("pending") && System.nanoTime() < deadline) {
      sleep(Duration.ofMillis(100));
    }
  }

  /** Records how long each handed-off activity waited between its failed attempt and the next. */
  private ScheduledExecutorService watchHandoffs() {
    ScheduledExecutorService watcher =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("drill-watch"));
    watcher.scheduleWithFixedDelay(
        () -> {
          for (String id : longStarted) {
            try {
              DescribeWorkflowExecutionResponse d =
                  client.newUntypedWorkflowStub(id).describe().getRawDescription();
              if (d.getWorkflowExecutionInfo().getStatus()
                  != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                longStarted.remove(id);
                continue;
              }
              for (PendingActivityInfo a : d.getPendingActivitiesList()) {
                if (a.getAttempt() >= 2
                    && a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
                    && a.hasLastAttemptCompleteTime()) {
                  long waited =
                      millis(a.getLastStartedTime()) - millis(a.getLastAttemptCompleteTime());
                  if (waited >= 0) {
                    handoffWaitMs.merge(id + "#" + a.getAttempt(), waited, Math::max);
                  }
                }
              }
            } catch (RuntimeException e) {
              // a transient describe failure; the next lap tries again
            }
          }
        },
        200,
        200,
        TimeUnit.MILLISECONDS);
    return watcher;
  }

  private static long millis(Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }

  private record Verdict(
      long requests,
      TreeMap<String, Long> statuses,
      long started,
      long startedDespiteError,
      long completed,
      long failed,
      long lost,
      long retriedAttempts,
      long workflowTaskFailures) {
    // workflowTaskFailures: outside the mixed-version window of the v2-patched rollout, where each
    // is a run that new code could not take over (the replay gate's job) or a bug.
    /**
     * Nothing lost or failed, and no client saw anything but a 201: not a 503, a 5xx, a timeout or
     * a connection error (a rolling deployment behind the load balancer is a non-event).
     */
    boolean passed() {
      return lost == 0
          && failed == 0
          && workflowTaskFailures == 0
          && clientErrors() == 0
          && started > 0;
    }

    /** Requests whose client got no 201 (any other status, a timeout, a connection error). */
    long clientErrors() {
      return requests - statuses.getOrDefault("201", 0L);
    }
  }

  private Verdict verify() {
    TreeMap<String, Long> statuses = new TreeMap<>();
    outcomes.values().forEach(o -> statuses.merge(o, 1L, Long::sum));
    List<String> toCheck = new ArrayList<>();
    long startedDespiteError = 0;
    for (Map.Entry<String, String> e : outcomes.entrySet()) {
      if ("201".equals(e.getValue())) {
        toCheck.add(e.getKey());
      } else if (exists(e.getKey())) {
        // The client saw no 201 but Temporal has the workflow: it must finish like any other.
        startedDespiteError++;
        toCheck.add(e.getKey());
      }
    }
    long completed = 0;
    long failed = 0;
    long lost = 0;
    long retried = 0;
    long deadline =
        System.nanoTime() + Duration.ofSeconds(options.longSeconds() * 3L + 90).toNanos();
    for (String id : toCheck) {
      try {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        SleepResult r =
            client
                .newUntypedWorkflowStub(id)
                .getResult(left, TimeUnit.MILLISECONDS, SleepResult.class);
        completed++;
        if (r.attempts() > 1) {
          retried++;
        }
      } catch (WorkflowFailedException e) {
        failed++;
        System.out.println("failed: " + id + " " + e.getMessage());
      } catch (TimeoutException | RuntimeException e) {
        lost++;
        System.out.println("lost: " + id + " " + e);
      }
    }
    long workflowTaskFailures = 0;
    for (String id : toCheck) {
      try {
        for (HistoryEvent e : client.fetchHistory(id).getEvents()) {
          if (e.getEventType() != EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) {
            continue;
          }
          Instant at = Instant.ofEpochSecond(e.getEventTime().getSeconds());
          WorkflowTaskFailedEventAttributes a = e.getWorkflowTaskFailedEventAttributes();
          String what =
              id
                  + " by "
                  + a.getIdentity()
                  + ": "
                  + a.getCause()
                  + " "
                  + a.getFailure().getMessage().lines().findFirst().orElse("");
          Instant rolloutStartedAt = fleetReport.rolloutStartedAt;
          if (rolloutStartedAt != null && !at.isBefore(rolloutStartedAt.minusSeconds(1))) {
            // Old and new code side by side: a run started on v2-patched whose next task lands
            // on a v1 host cannot replay there. Temporal retries the task on another host; this
            // is what Worker Versioning (one version per ECS service) removes.
            mixedVersionFailures++;
            if (mixedVersionFailures <= 3) {
              System.out.println("workflow task failed while v1 and v2 ran side by side: " + what);
            }
          } else {
            workflowTaskFailures++;
            System.out.println("workflow task failed: " + what);
          }
        }
      } catch (RuntimeException e) {
        System.out.println("history not read: " + id + " " + e);
        workflowTaskFailures++;
      }
    }
    return new Verdict(
        sent.get(),
        statuses,
        statuses.getOrDefault("201", 0L),
        startedDespiteError,
        completed,
        failed,
        lost,
        retried,
        workflowTaskFailures);
  }

  private boolean exists(String id) {
    try {
      client.newUntypedWorkflowStub(id).describe();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void report(Verdict v) {
    List<Long> waits = new ArrayList<>(handoffWaitMs.values());
    waits.sort(Long::compare);
    System.out.println();
    System.out.printf(
        "drill: %d %s behind HAProxy, %d rounds of rolling %s%s, %.0f starts/s"
            + " (every %dth a %d s SleepWorkflow, the rest %d s), shutdown timeout %d ms%n",
        options.hosts(),
        options.containers() ? "containers" : "hosts",
        options.rounds(),
        options.containers() ? "replacements" : "restarts",
        !options.deploy()
            ? ""
            : options.containers()
                ? " and a deploy of a breaking image (never healthy, the replacement stops)"
                : " and a deploy (v2-breaking refused, v2-patched rolled out)",
        options.rate(),
        options.longEvery(),
        options.longSeconds(),
        options.shortSeconds(),
        options.shutdownTimeout().toMillis());
    System.out.println(
        "| requests | responses by status | started | started despite an error | completed | failed | lost | activities retried | workflow tasks failed |");
    System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    System.out.printf(
        "| %d | %s | %d | %d | %d | %d | %d | %d | %d |%n",
        v.requests(),
        v.statuses(),
        v.started(),
        v.startedDespiteError(),
        v.completed(),
        v.failed(),
        v.lost(),
        v.retriedAttempts(),
        v.workflowTaskFailures());
    System.out.printf(
        "activities handed off (drain reports): %d; next attempt started after: %s%n",
        fleetReport.handedOff,
        waits.isEmpty()
            ? "n/a"
            : String.format(
                "min %d ms, median %d ms, max %d ms (%d observed)",
                waits.get(0),
                waits.get(waits.size() / 2),
                waits.get(waits.size() - 1),
                waits.size()));
    System.out.println(
        "| round | host (code) | SIGTERM→exit ms | exit code | handed off | replacement healthy after ms |");
    System.out.println("|---|---|---:|---:|---|---|");
    fleetReport.rows.forEach(System.out::println);
    refusals.forEach(r -> System.out.println("a client saw: " + r));
    if (fleetReport.rolloutStartedAt != null) {
      System.out.printf(
          "workflow tasks failed while v1 and v2-patched ran side by side (rolling deploy, runs"
              + " started on v2 met v1 code; retried elsewhere, not counted above): %d%n",
          mixedVersionFailures);
    }
    System.out.println(passed(v) ? "drill PASSED" : "drill FAILED");
  }

  private boolean passed(Verdict v) {
    return v.passed() && fleetReport.allExitedZero && fleetReport.deployAsExpected;
  }

  static void sleep(Duration d) {
    ChildProcess.sleep(d);
  }
}
