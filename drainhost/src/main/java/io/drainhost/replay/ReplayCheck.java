package io.drainhost.replay;

import io.drainhost.threads.DaemonThreads;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the newest running histories of each workflow type against this build's workflow code,
 * with the SDK's own replayer, and reports the runs the build could not take over.
 *
 * <p>A pipeline: histories are fetched by a pool that waits on the network and replayed, each as
 * soon as it is in, by one thread per core (replay is CPU work). What is held at once is bounded by
 * a {@link HistoryBudget} sized from the heap, each history counted by its size before it is
 * fetched. The whole check ends at its timeout, whatever is still fetching or replaying: a run not
 * done by then is {@code fetch_failed} (no evidence either way), never a refusal. Only the code's
 * failures refuse a build ({@link ReplayErrors}).
 */
public final class ReplayCheck {
  private static final Logger log = LoggerFactory.getLogger(ReplayCheck.class);

  /** Histories fetched at once: fetches wait on the network (and on the server). */
  private static final int FETCHERS = 8;

  /** Listings sent at once: five round trips of a cluster 50 ms away are a quarter second. */
  private static final int LISTERS = 16;

  private static final int MAX_MESSAGE = 500;

  private final RunningExecutions running;
  private final WorkflowClient client;
  private final Map<String, Set<String>> typesByQueue;
  private final Function<String, Worker> replayWorkers;
  private final int sample;
  private final Duration timeout;
  private final HistoryBudget budget;
  private final Map<String, Long> recorded;
  private final Map<Run, Long> replayedEvents = new ConcurrentHashMap<>();
  private final Set<Run> fromRecord = ConcurrentHashMap.newKeySet();
  private final List<BuildRecord.Run> covered = Collections.synchronizedList(new ArrayList<>());

  /**
   * @param typesByQueue the workflow types this build registers, by task queue
   * @param replayWorkers a worker of this build for a task queue (never started: replay only)
   * @param queryable whether the server answers visibility queries (the Java test server does not)
   * @param ownVersion with Worker Versioning, this build's version ({@code deployment:buildId}):
   *     runs pinned to other versions never come to this build and are not replayed
   * @param recorded what a record of this build already covers (run id → the events it had when it
   *     replayed): such a run whose history has not grown since is not fetched again
   */
  public ReplayCheck(
      WorkflowClient client,
      boolean queryable,
      Map<String, Set<String>> typesByQueue,
      Function<String, Worker> replayWorkers,
      int sample,
      Duration timeout,
      Optional<String> ownVersion,
      Map<String, Long> recorded) {
    this.client = client;
    this.running =
        new RunningExecutions(
            client.getWorkflowServiceStubs(),
            client.getOptions().getNamespace(),
            queryable,
            timeout,
            ownVersion);
    this.typesByQueue = Map.copyOf(typesByQueue);
    this.replayWorkers = replayWorkers;
    this.sample = sample;
    this.timeout = timeout;
    this.budget = HistoryBudget.fromHeap();
    this.recorded = Map.copyOf(recorded);
  }

  /**
   * After {@link #run()}: the runs this build is known to replay, the ones replayed here without a
   * failure and the ones the record covered: what a record of this check holds.
   */
  public List<BuildRecord.Run> covered() {
    synchronized (covered) {
      return List.copyOf(covered);
    }
  }

  /** Where one check's time went, summed over its runs: what the gate's log line tells. */
  private static final class Timings {
    final LongAdder fetchNanos = new LongAdder();
    final LongAdder replayNanos = new LongAdder();
    final LongAdder waitedForMemoryNanos = new LongAdder();
  }

  /** One run to replay; {@code sizeBytes} is its history's serialized size (0: unknown). */
  private record Run(
      String taskQueue,
      String type,
      String workflowId,
      String runId,
      long sizeBytes,
      long events) {}

  public ReplayReport run() {
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    // Appended to by threads that may outlive the deadline: synchronized lists.
    List<ReplayFailure> failures = Collections.synchronizedList(new ArrayList<>());
    List<String> notes = Collections.synchronizedList(new ArrayList<>());
    ExecutorService listing =
        Executors.newFixedThreadPool(LISTERS, DaemonThreads.named("drainhost-replay-list"));
    ExecutorService fetching =
        Executors.newFixedThreadPool(FETCHERS, DaemonThreads.named("drainhost-replay-fetch"));
    ExecutorService replaying =
        Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            DaemonThreads.named("drainhost-replay"));
    Map<Run, CompletableFuture<Optional<ReplayFailure>>> checks = new ConcurrentHashMap<>();
    Timings timings = new Timings();
    try {
      List<CompletableFuture<Void>> lists = new ArrayList<>();
      typesByQueue.forEach(
          (queue, types) -> {
            for (String type : types) {
              lists.add(
                  CompletableFuture.runAsync(
                      () -> {
                        try {
                          for (WorkflowExecutionInfo e : running.ofType(queue, type, sample)) {
                            Run r = run(queue, e);
                            // Each run's fetch begins as soon as it is listed.
                            checks.put(r, check(r, deadline, fetching, replaying, timings));
                          }
                        } catch (RuntimeException e) {
                          notes.add("could not list the running " + type + " runs: " + oneLine(e));
                        }
                      },
                      listing));
            }
            lists.add(
                CompletableFuture.runAsync(
                    () -> unknownTypes(queue, types, failures, notes), listing));
          });
      await(CompletableFuture.allOf(lists.toArray(new CompletableFuture<?>[0])), deadline);
    } catch (TimeoutException e) {
      notes.add("the running executions were not listed within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      notes.add("listing failed: " + oneLine(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      notes.add("interrupted");
    }
    List<Run> runs = new ArrayList<>(checks.keySet());
    for (Run r : runs) {
      try {
        Optional<ReplayFailure> failure = await(checks.get(r), deadline);
        failure.ifPresent(failures::add);
        if (failure.isEmpty() && !fromRecord.contains(r)) {
          covered.add(
              new BuildRecord.Run(r.workflowId(), r.runId(), replayedEvents.getOrDefault(r, 0L)));
        }
      } catch (TimeoutException e) {
        failures.add(
            failure(
                r,
                ReplayFailure.Reason.FETCH_FAILED,
                "not fetched and replayed within " + timeout.toMillis() + " ms"));
      } catch (ExecutionException e) {
        failures.add(failure(r, ReplayFailure.Reason.FETCH_FAILED, oneLine(e.getCause())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        notes.add("interrupted");
        break;
      }
    }
    log.info(
        "replay check timings: runs={} wallMs={} fetchMsSum={} replayMsSum={} waitedForMemoryMsSum={}",
        runs.size() - fromRecord.size(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
        TimeUnit.NANOSECONDS.toMillis(timings.fetchNanos.sum()),
        TimeUnit.NANOSECONDS.toMillis(timings.replayNanos.sum()),
        TimeUnit.NANOSECONDS.toMillis(timings.waitedForMemoryNanos.sum()));
    // Nothing waits for the pools: a fetch or replay still going past the deadline is abandoned.
    listing.shutdownNow();
    fetching.shutdownNow();
    replaying.shutdownNow();
    synchronized (failures) {
      synchronized (notes) {
        return ReplayReport.of(
                runs.size() - fromRecord.size(),
                failures,
                notes,
                startedAt,
                Duration.ofNanos(System.nanoTime() - start))
            .withFromRecord(fromRecord.size());
      }
    }
  }

  private static <T> T await(CompletableFuture<T> f, long deadline)
      throws TimeoutException, ExecutionException, InterruptedException {
    return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** Checks one run: unless the build's record covers it, its history is fetched and replayed. */
  private CompletableFuture<Optional<ReplayFailure>> check(
      Run r, long deadline, ExecutorService fetching, ExecutorService replaying, Timings timings) {
    if (!recorded.containsKey(r.runId())) {
      return fetchAndReplay(r, deadline, fetching, replaying, timings);
    }
    // The record's runs are told apart on the fetching pool too: a call each, side by side.
    return CompletableFuture.supplyAsync(() -> recordCovers(r), fetching)
        .thenCompose(
            covered ->
                covered
                    ? CompletableFuture.completedFuture(Optional.<ReplayFailure>empty())
                    : fetchAndReplay(r, deadline, fetching, replaying, timings));
  }

  /**
   * Fetches the run's history once the budget has room for it, then replays it on a replay thread;
   * its share of the budget is returned when the replay ends, whatever its outcome.
   */
  private CompletableFuture<Optional<ReplayFailure>> fetchAndReplay(
      Run r, long deadline, ExecutorService fetching, ExecutorService replaying, Timings timings) {
    long heapKib = HistoryBudget.heapKib(r.sizeBytes());
    if (heapKib > budget.largestAlone()) {
      return CompletableFuture.completedFuture(
          Optional.of(
              failure(
                  r,
                  ReplayFailure.Reason.REPLAY_INCOMPLETE,
                  "a history of "
                      + r.sizeBytes()
                      + " bytes ("
                      + r.events()
                      + " events) is larger than this host replays within its heap (at most "
                      + budget.largestAlone() / HistoryBudget.HEAP_PER_SERIALIZED_BYTE
                      + " KiB of history)")));
    }
    int[] held = {0};
    return CompletableFuture.supplyAsync(
            () -> {
              long t = System.nanoTime();
              try {
                held[0] = budget.acquire(heapKib, deadline - System.nanoTime());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                held[0] = -1;
              }
              timings.waitedForMemoryNanos.add(System.nanoTime() - t);
              if (held[0] < 0) {
                return null; // not fetched in time: reported at the deadline
              }
              t = System.nanoTime();
              WorkflowExecutionHistory history = client.fetchHistory(r.workflowId(), r.runId());
              timings.fetchNanos.add(System.nanoTime() - t);
              return history;
            },
            fetching)
        .thenApplyAsync(
            history -> {
              long t = System.nanoTime();
              try {
                return replay(r, history);
              } finally {
                timings.replayNanos.add(System.nanoTime() - t);
              }
            },
            replaying)
        .exceptionally(e -> Optional.of(fetchFailed(r, e)))
        .whenComplete((result, e) -> budget.release(held[0]));
  }

  private Optional<ReplayFailure> replay(Run r, WorkflowExecutionHistory history) {
    if (history == null) {
      return Optional.of(
          failure(
              r,
              ReplayFailure.Reason.FETCH_FAILED,
              "not fetched and replayed within " + timeout.toMillis() + " ms (waited for memory)"));
    }
    Worker worker;
    try {
      worker = replayWorkers.apply(r.taskQueue());
    } catch (RuntimeException e) {
      // Made for the first history: failing to make them says nothing of this build's code.
      return Optional.of(
          failure(
              r,
              ReplayFailure.Reason.REPLAY_INCOMPLETE,
              "could not make the replay workers: " + oneLine(e)));
    }
    try {
      worker.replayWorkflowExecution(history);
      replayedEvents.put(r, (long) history.getEvents().size());
      return Optional.empty();
    } catch (Exception | OutOfMemoryError | StackOverflowError e) {
      ReplayErrors.Verdict v = ReplayErrors.classify(e);
      return Optional.of(failure(r, v.reason(), v.message()));
    }
  }

  /**
   * True when the record holds this run and its history has not grown since it replayed: a listing
   * does not give a running history's length, so the run is described (one small call, not its
   * history). A run the record holds is covered again, for the next record.
   */
  private boolean recordCovers(Run r) {
    Long events = recorded.get(r.runId());
    if (events == null || events <= 0) {
      return false;
    }
    long now;
    try {
      now = running.historyLength(r.workflowId(), r.runId());
    } catch (RuntimeException e) {
      return false; // replayed instead: a record never stands in for what cannot be told
    }
    if (now <= 0 || now > events) {
      return false;
    }
    covered.add(new BuildRecord.Run(r.workflowId(), r.runId(), events));
    fromRecord.add(r);
    return true;
  }

  private static ReplayFailure fetchFailed(Run r, Throwable e) {
    Throwable cause =
        e instanceof java.util.concurrent.CompletionException && e.getCause() != null
            ? e.getCause()
            : e;
    return failure(r, ReplayFailure.Reason.FETCH_FAILED, ReplayErrors.causeChain(cause));
  }

  /** Running executions on the queue whose type this build does not register: each a failure. */
  private void unknownTypes(
      String queue, Set<String> types, List<ReplayFailure> failures, List<String> notes) {
    try {
      for (WorkflowExecutionInfo e : running.ofOtherTypes(queue, types, sample)) {
        ReplayFailure f =
            new ReplayFailure(
                e.getExecution().getWorkflowId(),
                e.getExecution().getRunId(),
                e.getType().getName(),
                ReplayFailure.Reason.UNKNOWN_TYPE,
                "running on task queue "
                    + queue
                    + ", whose workers of this build do not register "
                    + e.getType().getName());
        failures.add(f);
      }
    } catch (RuntimeException e) {
      notes.add("could not list the runs of other types on " + queue + ": " + oneLine(e));
    }
  }

  private static Run run(String queue, WorkflowExecutionInfo e) {
    return new Run(
        queue,
        e.getType().getName(),
        e.getExecution().getWorkflowId(),
        e.getExecution().getRunId(),
        e.getHistorySizeBytes(),
        e.getHistoryLength());
  }

  private static ReplayFailure failure(Run r, ReplayFailure.Reason reason, String message) {
    String line = message.replaceAll("\\s+", " ").trim();
    if (line.length() > MAX_MESSAGE) {
      line = line.substring(0, MAX_MESSAGE) + "…";
    }
    return new ReplayFailure(r.workflowId(), r.runId(), r.type(), reason, line);
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    return m.split("\n", 2)[0].trim();
  }
}
