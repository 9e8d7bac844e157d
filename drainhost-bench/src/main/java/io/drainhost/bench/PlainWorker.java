package io.drainhost.bench;

import io.drainhost.samples.Samples;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
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
 * The baseline drainhost is measured against: a plain Temporal worker with the sample workflows and
 * the usual shutdown hook ({@code shutdown()} then {@code awaitTermination}), as Temporal's Spring
 * integration does it. Sticky execution as drainhost has it: off against the SDK's Java test server
 * (which never re-routes a sticky queue), the SDK default against a real server, so that the
 * comparison measures the shutdown alone.
 */
public final class PlainWorker {
  private static final Logger log = LoggerFactory.getLogger(PlainWorker.class);

  private PlainWorker() {}

  public static int run(String address, String taskQueue, Duration awaitTermination) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    WorkflowClient client = WorkflowClient.newInstance(stubs);
    WorkerFactory factory = WorkerFactory.newInstance(client);
    WorkerOptions.Builder options = WorkerOptions.newBuilder();
    boolean javaTestServer =
        stubs
            .blockingStub()
            .getSystemInfo(GetSystemInfoRequest.getDefaultInstance())
            .getServerVersion()
            .isEmpty();
    if (javaTestServer) {
      options.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
    }
    Worker worker = factory.newWorker(taskQueue, options.build());
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
