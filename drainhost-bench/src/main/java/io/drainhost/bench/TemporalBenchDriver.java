package io.drainhost.bench;

import io.drainhost.threads.DaemonThreads;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts workflows with the Temporal client and waits on their results (a long poll on the
 * history): the precise way to measure workers, whoever hosts them.
 */
final class TemporalBenchDriver implements BenchDriver {
  private final String address;
  private final String taskQueue;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final ExecutorService starters =
      Executors.newFixedThreadPool(16, DaemonThreads.named("bench-start"));

  TemporalBenchDriver(String address, String taskQueue) {
    this.address = address;
    this.taskQueue = taskQueue;
    this.stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    this.client = WorkflowClient.newInstance(stubs);
  }

  @Override
  public CompletableFuture<Void> start(
      String workflowId, String workflowType, Map<String, Object> input) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            client
                .newUntypedWorkflowStub(
                    workflowType,
                    WorkflowOptions.newBuilder()
                        .setTaskQueue(taskQueue)
                        .setWorkflowId(workflowId)
                        .build())
                .start(input);
          } catch (WorkflowExecutionAlreadyStarted e) {
            throw new BenchError("already_started");
          } catch (RuntimeException e) {
            throw new BenchError("temporal_" + e.getClass().getSimpleName());
          }
        },
        starters);
  }

  @Override
  public CompletableFuture<Boolean> completion(String workflowId) {
    return client
        .newUntypedWorkflowStub(workflowId)
        .getResultAsync(Object.class)
        .handle(
            (result, error) -> {
              if (error == null) {
                return true;
              }
              Throwable cause =
                  error instanceof CompletionException && error.getCause() != null
                      ? error.getCause()
                      : error;
              if (cause instanceof WorkflowFailedException) {
                return false;
              }
              throw new BenchError("result_" + cause.getClass().getSimpleName());
            });
  }

  @Override
  public String describe() {
    return "Temporal " + address + " taskQueue=" + taskQueue;
  }

  @Override
  public void close() {
    starters.shutdownNow();
    stubs.shutdownNow();
  }
}
