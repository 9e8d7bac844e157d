package io.drainhost.bench;

import io.drainhost.samples.Samples;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baseline drainhost is measured against: a plain Temporal worker with the sample workflows
 * and the usual shutdown hook ({@code shutdown()} then {@code awaitTermination}), as Temporal's
 * Spring integration does it. Sticky execution is off, as drainhost has it against the dev server,
 * so that the comparison measures the shutdown alone.
 */
public final class PlainWorker {
  private static final Logger log = LoggerFactory.getLogger(PlainWorker.class);

  private PlainWorker() {}

  public static int run(String address, String taskQueue, Duration awaitTermination) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    WorkflowClient client = WorkflowClient.newInstance(stubs);
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker =
        factory.newWorker(
            taskQueue,
            WorkerOptions.newBuilder().setStickyQueueScheduleToStartTimeout(Duration.ZERO).build());
    worker.registerWorkflowImplementationTypes(Samples.workflowTypes());
    worker.registerActivitiesImplementations(Samples.activities());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  factory.shutdown();
                  factory.awaitTermination(awaitTermination.toMillis(), TimeUnit.MILLISECONDS);
                  stubs.shutdown();
                }));
    factory.start();
    log.info("workers started: plain worker taskQueue={}", taskQueue);
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
