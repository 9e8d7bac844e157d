package io.drainhost.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.threads.DaemonThreads;
import io.drainhost.workflows.InvalidInputException;
import io.drainhost.workflows.WorkflowTypes;
import io.drainhost.workflows.WorkflowTypes.WorkflowType;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's declared schedules: validated at build, reconciled into Temporal on every connect,
 * guarded in their runs, watched for missed and failed fires. Temporal runs the schedules; a host
 * only declares and watches them, so any number of hosts may hold the same declarations.
 */
public final class Schedules implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);

  private final Map<String, DeclaredSchedule> declared;
  private final Duration checkInterval;
  private ScheduleReconciler reconciler;
  private ScheduleWatcher watcher;
  private ScheduleBackfill backfill;
  private ScheduledExecutorService executor;
  private volatile boolean unsupported;
  private volatile boolean reconciled;
  private volatile BooleanSupplier paused = () -> false;

  private Schedules(Map<String, DeclaredSchedule> declared) {
    this.declared = declared;
    Duration smallest =
        declared.values().stream()
            .map(s -> s.declaration().tolerance())
            .min(Duration::compareTo)
            .orElse(Duration.ofSeconds(5));
    this.checkInterval =
        smallest.compareTo(Duration.ofSeconds(5)) < 0
            ? Duration.ofMillis(Math.max(1000, smallest.toMillis()))
            : Duration.ofSeconds(5);
  }

  /**
   * Binds each declaration to its registered workflow type; throws {@link
   * InvalidSchedulesException} naming every schedule whose type is unknown, whose input does not
   * fit it, or whose id repeats.
   */
  public static Schedules of(
      List<ScheduleDeclaration> declarations, WorkflowTypes types, ObjectMapper mapper) {
    List<String> problems =
        new ArrayList<>(
            ScheduleFile.duplicates(declarations.stream().map(ScheduleDeclaration::id).toList()));
    Map<String, DeclaredSchedule> declared = new LinkedHashMap<>();
    for (ScheduleDeclaration d : declarations) {
      List<String> own = d.problems();
      String name = "schedule '" + d.id() + "'";
      Optional<WorkflowType> type = types.find(d.workflowType());
      if (own.isEmpty() && type.isEmpty()) {
        own =
            List.of(
                name
                    + ": workflowType '"
                    + d.workflowType()
                    + "' is not registered on this host; registered: "
                    + String.join(", ", types.names()));
      } else if (own.isEmpty()) {
        own = inputProblems(name, d.input(), type.get(), types, mapper);
      }
      if (own.isEmpty()) {
        declared.putIfAbsent(d.id(), DeclaredSchedule.of(d, type.get()));
      }
      problems.addAll(own);
    }
    if (!problems.isEmpty()) {
      throw new InvalidSchedulesException(problems);
    }
    return new Schedules(declared);
  }

  private static List<String> inputProblems(
      String name, JsonNode input, WorkflowType type, WorkflowTypes types, ObjectMapper mapper) {
    try {
      types.arguments(type, input, mapper);
      return List.of();
    } catch (InvalidInputException e) {
      return e.problems().stream().map(p -> name + ": " + p).toList();
    }
  }

  public boolean isEmpty() {
    return declared.isEmpty();
  }

  /** The worker interceptor that applies the misfire policies in the runs. */
  public MisfireGuard guard() {
    return new MisfireGuard(declared);
  }

  /**
   * Connects to Temporal through the host's stubs; checks run on a thread of their own from here.
   */
  public synchronized void start(
      WorkflowServiceStubs stubs,
      WorkflowClient client,
      MeterRegistry registry,
      String stateKey,
      BooleanSupplier paused) {
    this.paused = paused;
    if (declared.isEmpty() || executor != null) {
      return;
    }
    String namespace = client.getOptions().getNamespace();
    ScheduleClient scheduleClient =
        ScheduleClient.newInstance(
            stubs, ScheduleClientOptions.newBuilder().setNamespace(namespace).build());
    List<DeclaredSchedule> all = List.copyOf(declared.values());
    reconciler = new ScheduleReconciler(scheduleClient, all);
    Path stateFile =
        Path.of(
            System.getProperty("java.io.tmpdir"),
            "drainhost",
            "reported-fires-" + stateKey + ".json");
    watcher =
        new ScheduleWatcher(scheduleClient, client, all, new ReportedFires(stateFile), registry);
    backfill = new ScheduleBackfill(client);
    executor =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("drainhost-schedules"));
    executor.scheduleWithFixedDelay(
        this::checkQuietly,
        checkInterval.toMillis(),
        checkInterval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** After each (re)connect: reconciles, on the schedules' own thread. */
  public void onConnected(boolean afterOutage) {
    ScheduledExecutorService e = executor;
    if (e == null || unsupported || (reconciled && !afterOutage)) {
      return;
    }
    e.execute(this::reconcileQuietly);
  }

  private void reconcileQuietly() {
    try {
      if (!reconciler.reconcile()) {
        unsupported = true;
        log.warn(
            "schedules need a real Temporal server: this one has no Schedules API (the embedded"
                + " Java test server has none); declared schedules are not running: ids={}",
            declared.keySet());
        return;
      }
      reconciled = true;
    } catch (RuntimeException e) {
      log.warn(
          "schedule reconciliation failed; retried at the next connect: error={}", e.toString());
    }
  }

  private void checkQuietly() {
    // Paused for the drain: its calls go to hand-offs, and the hosts that keep serving check.
    if (!reconciled || unsupported || paused.getAsBoolean()) {
      return;
    }
    try {
      check();
    } catch (RuntimeException e) {
      log.debug("schedule check failed: error={}", e.toString());
    }
  }

  /**
   * Checks every schedule; one that is gone from Temporal (deleted by hand) is declared again at
   * once rather than at the next reconnect: a declared schedule must not silently stop firing.
   */
  private void check() {
    try {
      watcher.checkAll();
    } catch (RuntimeException e) {
      if (ScheduleReconciler.code(e) != io.grpc.Status.Code.NOT_FOUND) {
        throw e;
      }
      log.warn("a declared schedule is missing in Temporal; declaring it again");
      if (!reconciler.reconcile()) {
        unsupported = true;
        return;
      }
      watcher.checkAll();
    }
  }

  public boolean unsupported() {
    return unsupported;
  }

  /** Each schedule's status, checked now (Temporal calls; the caller bounds them). */
  public List<Map<String, Object>> statusesNow() {
    if (unsupported) {
      return declared.values().stream()
          .map(s -> ScheduleWatcher.json(ScheduleStatus.unchecked(s.declaration(), "unsupported")))
          .toList();
    }
    if (!reconciled) {
      reconcileQuietly();
      if (unsupported) {
        return statusesNow();
      }
    }
    check();
    return watcher.statuses().stream().map(ScheduleWatcher::json).toList();
  }

  /** The declared schedule ids. */
  public java.util.Set<String> ids() {
    return declared.keySet();
  }

  public boolean declares(String id) {
    return declared.containsKey(id);
  }

  /** Runs the fires of a past range that never ran; returns how many it started. */
  public int backfill(String id, java.time.Instant from, java.time.Instant to) {
    return backfill.run(declared.get(id), from, to);
  }

  /** The most fires one backfill may run. */
  public static int maxBackfillFires() {
    return ScheduleBackfill.MAX_FIRES;
  }

  /** The fires of {@code id} in {@code [from, to]}, oldest first, at most {@code max}. */
  public List<java.time.Instant> fires(
      String id, java.time.Instant from, java.time.Instant to, int max) {
    return declared.get(id).fireTimes().first(from, to, max);
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
