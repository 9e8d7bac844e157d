package io.drainhost.http;

import io.drainhost.temporal.ConnectionMonitor;
import io.drainhost.temporal.FailureKind;
import io.drainhost.threads.DaemonThreads;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs the Temporal calls of HTTP requests, and answers each with a future: no HTTP thread waits
 * for Temporal, so no client load can take the threads that serve {@code /health}. Refuses at once
 * while the connection monitor says Temporal is down; runs on a bounded pool with a bounded queue
 * (full: 503 {@code overloaded}); gives every call a gRPC deadline (the request timeout), cancels
 * it in the SDK when it passes, and reports it to the monitor, where repeated deadlines make it
 * check the connection at once; turns Temporal's failures into {@link ApiError}s.
 */
final class TemporalCalls implements AutoCloseable {
  /** Temporal calls of HTTP requests at once: beyond, they queue. */
  static final int THREADS = 32;

  /** Calls waiting for a thread: beyond, 503. */
  static final int QUEUE = 512;

  private final ConnectionMonitor monitor;
  private final Duration timeout;
  private final ThreadPoolExecutor executor =
      new ThreadPoolExecutor(
          THREADS,
          THREADS,
          30,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(QUEUE),
          DaemonThreads.named("drainhost-temporal-call"));
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("drainhost-call-deadline"));
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  private CompletableFuture<Void> watchedLoss;

  TemporalCalls(ConnectionMonitor monitor, Duration timeout) {
    this.monitor = monitor;
    this.timeout = timeout;
    executor.allowCoreThreadTimeOut(true);
  }

  <T> CompletableFuture<T> call(Supplier<T> call) {
    return call(call, Duration.ZERO);
  }

  /** As {@link #call(Supplier)}, for a call that may legitimately wait {@code extra} longer. */
  <T> CompletableFuture<T> call(Supplier<T> call, Duration extra) {
    if (!monitor.connected()) {
      return CompletableFuture.failedFuture(unavailable("Temporal is unreachable; retry shortly"));
    }
    Duration limit = timeout.plus(extra);
    CompletableFuture<T> answer = new CompletableFuture<>();
    // The SDK's blocking stubs take the deadline of the gRPC context they run in: past it the
    // call itself is cancelled, not only our wait for it.
    Context.CancellableContext grpc =
        Context.current().withDeadlineAfter(limit.toMillis(), TimeUnit.MILLISECONDS, timer);
    // One deadline, one answer: whether the timer below or the SDK's call, cut by the same
    // deadline, notices first, the client is told the deadline passed and the monitor hears once.
    Runnable passed =
        () -> {
          if (answer.completeExceptionally(new DeadlinePassed())) {
            monitor.reportFailure(new StatusRuntimeException(Status.DEADLINE_EXCEEDED));
          }
        };
    try {
      executor.execute(
          () -> {
            try {
              answer.complete(grpc.call(call::get));
            } catch (Throwable e) {
              if (grpc.getDeadline().isExpired()) {
                passed.run();
              } else {
                answer.completeExceptionally(e);
              }
            }
          });
    } catch (RejectedExecutionException e) {
      grpc.cancel(null);
      return CompletableFuture.failedFuture(
          ApiError.unavailable(
              "overloaded", "too many requests are waiting for Temporal here; retry shortly"));
    }
    var deadline = timer.schedule(passed, limit.toMillis(), TimeUnit.MILLISECONDS);
    answer.whenComplete(
        (v, e) -> {
          deadline.cancel(false);
          grpc.cancel(null);
        });
    return followed(answer, limit);
  }

  /**
   * {@code pending} (a long poll of Temporal's, no thread held), answered 503 at once if the
   * connection is lost, or if it is down already; its failures as {@link ApiError}s.
   */
  <T> CompletableFuture<T> watched(CompletableFuture<T> pending) {
    if (!monitor.connected()) {
      pending.cancel(false);
      return CompletableFuture.failedFuture(unavailable("Temporal is unreachable; retry shortly"));
    }
    return followed(pending, timeout);
  }

  /**
   * {@code pending} answered at once by a lost connection, and its failures as {@link ApiError}s
   * ({@code limit}: the time a deadline message names).
   */
  private <T> CompletableFuture<T> followed(CompletableFuture<T> pending, Duration limit) {
    watch(pending);
    return pending
        .whenComplete((v, e) -> inFlight.remove(pending))
        .handle(
            (v, e) -> {
              if (e == null) {
                return v;
              }
              throw translate(e instanceof CompletionException ? e.getCause() : e, limit);
            });
  }

  /** A lost connection answers every call in flight at once: the SDK would retry for seconds. */
  private synchronized void watch(CompletableFuture<?> answer) {
    inFlight.add(answer);
    CompletableFuture<Void> lost = monitor.whenLost();
    if (lost != watchedLoss) {
      watchedLoss = lost;
      lost.thenRun(
          () -> {
            for (CompletableFuture<?> f : inFlight) {
              f.completeExceptionally(new ConnectionLost());
            }
          });
    }
    // Lost between the caller's check and this watch: the loss has answered the calls it found
    // in flight already, not this one, which the SDK would retry until the request timeout.
    if (lost.isDone()) {
      answer.completeExceptionally(new ConnectionLost());
    }
  }

  private static final class DeadlinePassed extends RuntimeException {
    DeadlinePassed() {
      super(null, null, false, false);
    }
  }

  private static final class ConnectionLost extends RuntimeException {
    ConnectionLost() {
      super(null, null, false, false);
    }
  }

  private RuntimeException translate(Throwable error, Duration limit) {
    if (error instanceof ApiError) {
      return (ApiError) error;
    }
    if (error instanceof DeadlinePassed) {
      return unavailable(
          "Temporal did not answer within " + limit.toMillis() + " ms; retry shortly");
    }
    if (error instanceof ConnectionLost) {
      return unavailable("lost the connection to Temporal; retry shortly");
    }
    if (error instanceof WorkflowExecutionAlreadyStarted) {
      return ApiError.alreadyStarted(
          ((WorkflowExecutionAlreadyStarted) error).getExecution().getRunId());
    }
    if (error instanceof WorkflowNotFoundException) {
      return ApiError.workflowNotFound();
    }
    FailureKind kind = FailureKind.of(error);
    if (kind != FailureKind.NONE) {
      monitor.reportFailure(error);
      return unavailable(
          "Temporal is unavailable (" + kind.wireName() + " failure); retry shortly");
    }
    StatusRuntimeException status = findStatus(error);
    if (status != null) {
      switch (status.getStatus().getCode()) {
        case NOT_FOUND:
          return ApiError.workflowNotFound();
        case ALREADY_EXISTS:
          return ApiError.alreadyStarted(
              error instanceof WorkflowExecutionAlreadyStarted started
                  ? started.getExecution().getRunId()
                  : null);
        case INVALID_ARGUMENT:
          return ApiError.badRequest(
              "invalid_request",
              "Temporal rejected the request: " + status.getStatus().getDescription());
        default:
          break;
      }
    }
    return error instanceof RuntimeException
        ? (RuntimeException) error
        : new RuntimeException(error);
  }

  private static StatusRuntimeException findStatus(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException) {
        return (StatusRuntimeException) t;
      }
    }
    return null;
  }

  static ApiError unavailable(String message) {
    return ApiError.unavailable("temporal_unavailable", message);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    timer.shutdownNow();
  }
}
