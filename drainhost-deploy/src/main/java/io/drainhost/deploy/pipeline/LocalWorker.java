package io.drainhost.deploy.pipeline;

import io.drainhost.deploy.Parts;
import io.drainhost.deploy.activity.ReleaseActivitiesImpl;
import io.drainhost.deploy.workflow.ReleaseWorkflow;
import io.drainhost.deploy.workflow.ReleaseWorkflowImpl;
import io.drainhost.deploy.workflow.SunsetWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The release's worker in the command's own process, when no controller runs: a team can release
 * without one. If the process dies, the release pauses until a drainhost-deploy worker runs again
 * (a controller, or any {@code deploy}, {@code follow} or {@code abort}).
 */
public final class LocalWorker implements AutoCloseable {
  private final WorkerFactory factory;
  private final ReleaseActivitiesImpl activities;

  private LocalWorker(WorkerFactory factory, ReleaseActivitiesImpl activities) {
    this.factory = factory;
    this.activities = activities;
  }

  /** A local worker, started; empty (and said) when a controller polls. */
  public static Optional<LocalWorker> unlessController(Parts p, PrintStream out) {
    if (Workers.of(p.stubs(), p.connections().namespace()).controller()) {
      out.println(
          "a drainhost-deploy controller polls task queue "
              + ReleaseWorkflow.TASK_QUEUE
              + ": it runs the release; stopping this command changes nothing about it");
      return Optional.empty();
    }
    out.println(
        "no drainhost-deploy controller polls task queue "
            + ReleaseWorkflow.TASK_QUEUE
            + ": this process runs the release's steps; if it stops, the release pauses until a"
            + " drainhost-deploy worker runs (a controller, or deploy, follow or abort again)");
    WorkflowClient client =
        WorkflowClient.newInstance(
            p.stubs(),
            WorkflowClientOptions.newBuilder(p.client().getOptions())
                .setIdentity(Workers.LOCAL + ManagementFactory.getRuntimeMXBean().getName())
                .build());
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(ReleaseWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(ReleaseWorkflowImpl.class, SunsetWorkflowImpl.class);
    ReleaseActivitiesImpl activities =
        new ReleaseActivitiesImpl(p.connections().address, p.connections().namespace).sharing(p);
    worker.registerActivitiesImplementations(activities);
    factory.start();
    return Optional.of(new LocalWorker(factory, activities));
  }

  /**
   * Stops polling, and gives a step under way (of another release: this one has ended) a moment to
   * finish. Waiting for the open polls would hold the command for seconds: the process exits
   * instead, and a step cut short is retried by the next worker, which observes before it acts.
   */
  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(500, TimeUnit.MILLISECONDS);
    activities.close();
  }
}
