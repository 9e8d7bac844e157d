package io.drainhost.http;

import io.drainhost.temporal.ConnectionMonitor;
import io.drainhost.temporal.FailureKind;
import io.drainhost.threads.DaemonThreads;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs one Temporal call for an HTTP request: refuses at once while the connection monitor says
 * Temporal is down, never waits longer than the request timeout (the SDK retries UNAVAILABLE for
 * seconds on its own), and turns Temporal's failures into {@link ApiError}s.
 */
final class TemporalCalls implements AutoCloseable {
  private final ConnectionMonitor monitor;
  private final Duration timeout;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(DaemonThreads.named("drainhost-temporal-call"));

  TemporalCalls(ConnectionMonitor monitor, Duration timeout) {
    this.monitor = monitor;
    this.timeout = timeout;
  }

  <T> T call(Supplier<T> call) {
    return call(call, Duration.ZERO);
  }

  /** As {@link #call(Supplier)}, for a call that may legitimately wait {@code extra} longer. */
  <T> T call(Supplier<T> call, Duration extra) {
    Duration timeout = this.timeout.plus(extra);
    if (!monitor.connected()) {
      throw unavailable("Temporal is unreachable; retry shortly");
    }
    CompletableFuture<T> future = CompletableFuture.supplyAsync(call, executor);
    try {
      CompletableFuture.anyOf(future, monitor.whenLost())
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!future.isDone()) {
        // The SDK would retry against a server that is gone for seconds; the client retries us.
        future.cancel(true);
        throw unavailable("lost the connection to Temporal; retry shortly");
      }
      return future.get();
    } catch (TimeoutException e) {
      future.cancel(true);
      monitor.reportFailure(new StatusRuntimeException(Status.DEADLINE_EXCEEDED));
      throw unavailable(
          "Temporal did not answer within " + timeout.toMillis() + " ms; retry shortly");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while waiting for Temporal");
    } catch (ExecutionException e) {
      throw translate(e.getCause());
    }
  }

  private RuntimeException translate(Throwable error) {
    if (error instanceof ApiError) {
      return (ApiError) error;
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
              ((WorkflowExecutionAlreadyStarted) error).getExecution().getRunId());
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

  private static ApiError unavailable(String message) {
    return ApiError.unavailable("temporal_unavailable", message);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
