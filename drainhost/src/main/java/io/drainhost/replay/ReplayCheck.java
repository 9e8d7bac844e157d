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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Replays the newest running histories of each workflow type against this build's workflow code,
 * with the SDK's own replayer, and reports the runs the build could not take over. Histories are
 * fetched and replayed concurrently; the whole check is bounded by a timeout, and a run not done by
 * then is a {@code fetch_failed} entry (no evidence either way), never a refusal.
 */
public final class ReplayCheck {
  /** Histories fetched and replayed at once: fetches wait on the network, replays use a core. */
  private static final int PARALLELISM = 16;

  private static final int MAX_MESSAGE = 500;

  private final RunningExecutions running;
  private final WorkflowClient client;
  private final Map<String, Set<String>> typesByQueue;
  private final Function<String, Worker> replayWorkers;
  private final int sample;
  private final Duration timeout;

  /**
   * @param typesByQueue the workflow types this build registers, by task queue
   * @param replayWorkers a worker of this build for a task queue (never started: replay only)
   * @param queryable whether the server answers visibility queries (the Java test server does not)
   * @param ownVersion with Worker Versioning, this build's version ({@code deployment:buildId}):
   *     runs pinned to other versions never come to this build and are not replayed
   */
  public ReplayCheck(
      WorkflowClient client,
      boolean queryable,
      Map<String, Set<String>> typesByQueue,
      Function<String, Worker> replayWorkers,
      int sample,
      Duration timeout,
      Optional<String> ownVersion) {
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
  }

  private record Run(String taskQueue, String type, String workflowId, String runId) {}

  public ReplayReport run() {
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    // Appended to by the listing threads, which may outlive a timeout: synchronized lists.
    List<ReplayFailure> failures = Collections.synchronizedList(new ArrayList<>());
    List<String> notes = Collections.synchronizedList(new ArrayList<>());
    List<Run> listed = Collections.synchronizedList(new ArrayList<>());
    // The listings go out at once: five round trips of a cluster 50 ms away are a quarter second.
    ExecutorService listing =
        Executors.newFixedThreadPool(PARALLELISM, DaemonThreads.named("drainhost-replay-list"));
    try {
      List<CompletableFuture<Void>> lists = new ArrayList<>();
      typesByQueue.forEach(
          (queue, types) -> {
            for (String type : types) {
              lists.add(
                  CompletableFuture.runAsync(
                      () -> {
                        try {
                          running
                              .ofType(queue, type, sample)
                              .forEach(e -> listed.add(run(queue, e)));
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
      CompletableFuture.allOf(lists.toArray(new CompletableFuture<?>[0]))
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      notes.add("the running executions were not listed within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      notes.add("listing failed: " + oneLine(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      notes.add("interrupted");
    } finally {
      listing.shutdownNow();
    }
    List<Run> runs;
    synchronized (listed) {
      runs = List.copyOf(listed);
    }

    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(PARALLELISM, runs.size())),
            DaemonThreads.named("drainhost-replay"));
    try {
      List<CompletableFuture<Optional<ReplayFailure>>> checks = new ArrayList<>();
      for (Run r : runs) {
        checks.add(CompletableFuture.supplyAsync(() -> check(r), pool));
      }
      for (int i = 0; i < runs.size(); i++) {
        Run r = runs.get(i);
        try {
          long left = Math.max(0, deadline - System.nanoTime());
          checks.get(i).get(left, TimeUnit.NANOSECONDS).ifPresent(failures::add);
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
    } finally {
      pool.shutdownNow();
    }
    synchronized (failures) {
      synchronized (notes) {
        return ReplayReport.of(
            runs.size(), failures, notes, startedAt, Duration.ofNanos(System.nanoTime() - start));
      }
    }
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
        e.getExecution().getRunId());
  }

  private Optional<ReplayFailure> check(Run r) {
    WorkflowExecutionHistory history;
    try {
      history = client.fetchHistory(r.workflowId(), r.runId());
    } catch (RuntimeException e) {
      return Optional.of(failure(r, ReplayFailure.Reason.FETCH_FAILED, oneLine(e)));
    }
    try {
      replayWorkers.apply(r.taskQueue()).replayWorkflowExecution(history);
      return Optional.empty();
    } catch (Exception e) {
      return Optional.of(replayFailure(r, e));
    }
  }

  /**
   * The SDK reports a failed replay as a query failure whose text is the workflow task's stack
   * trace; the line of the {@code NonDeterministicException} ({@code [TMPRL1100]}) says what does
   * not match.
   */
  private static ReplayFailure replayFailure(Run r, Exception e) {
    String text = String.valueOf(e.getMessage());
    int error = text.indexOf("error=");
    String trace = error >= 0 ? text.substring(error + "error=".length()) : text;
    for (String line : trace.split("\n")) {
      if (line.contains("NonDeterministicException") || line.contains("[TMPRL1100]")) {
        String mismatch = line.substring(line.indexOf(':') + 1).trim();
        return failure(r, ReplayFailure.Reason.NONDETERMINISM, mismatch);
      }
    }
    return failure(r, ReplayFailure.Reason.REPLAY_ERROR, trace.split("\n", 2)[0].trim());
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
