package io.drainhost.deploy.pipeline;

import io.drainhost.deploy.DeployException;
import io.drainhost.deploy.Parts;
import io.drainhost.deploy.plan.Plan;
import io.drainhost.deploy.workflow.Outcome;
import io.drainhost.deploy.workflow.Progress;
import io.drainhost.deploy.workflow.ReleaseRequest;
import io.drainhost.deploy.workflow.ReleaseWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a pipeline step does with a release: start it (one per deployment: a second is refused,
 * naming the one that runs), follow it (its progress lines as it moves, then its outcome as the
 * exit code), abort it, describe it. The release itself runs in Temporal; this step holds nothing
 * of it.
 */
public final class Releases {
  /** How long the command waits for a worker to answer where a release is. */
  static final long QUERY_SECONDS = 3;

  private final Parts parts;
  private final WorkflowClient client;
  private final PrintStream out;
  private final PrintStream err;
  private final String cluster;
  private final String deployment;

  public Releases(Parts parts, PrintStream out, PrintStream err) {
    this.parts = parts;
    this.client = parts.client();
    this.out = out;
    this.err = err;
    this.cluster = parts.connections().cluster;
    this.deployment = parts.connections().deployment;
  }

  private String id() {
    return ReleaseRequest.workflowId(cluster, deployment);
  }

  /**
   * A running release, as anyone can read it without a worker (its memo) and, if one answers, where
   * it is.
   */
  public record Running(
      String command, String buildId, Instant startedAt, Optional<Progress> progress) {
    public String describe() {
      return command
          + " of build "
          + buildId
          + ", started "
          + startedAt
          + progress
              .map(p -> ", now: " + p.state() + (p.abortAsked() ? " (abort asked)" : ""))
              .orElse(
                  ", paused: no drainhost-deploy worker answers (start the controller, or run"
                      + " drainhost-deploy follow)");
    }
  }

  /**
   * Starts the release and follows it; a running release of the same command and build is followed
   * instead (it carries on), another is refused with {@link DeployException#BUSY} and nothing of
   * this one is started.
   */
  public int start(ReleaseRequest request, boolean detach) {
    String command = request.kind().command();
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            ReleaseWorkflow.class.getSimpleName(),
            WorkflowOptions.newBuilder()
                .setWorkflowId(id())
                .setTaskQueue(ReleaseWorkflow.TASK_QUEUE)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .setMemo(Map.of("command", command, "buildId", request.buildId()))
                .build());
    boolean started = false;
    try {
      stub.start(request);
      started = true;
      out.println(
          command
              + ": release "
              + id()
              + " of build "
              + request.buildId()
              + " started in Temporal");
    } catch (WorkflowExecutionAlreadyStarted e) {
      Optional<Running> running = running();
      if (running.isPresent()
          && running.get().command().equals(command)
          && running.get().buildId().equals(request.buildId())) {
        out.println(
            command + ": the same release runs (" + running.get().describe() + "): following it");
      } else {
        throw new DeployException(
            DeployException.BUSY,
            "another release of deployment "
                + deployment
                + " runs: "
                + running.map(Running::describe).orElse(id())
                + ". Nothing of this "
                + command
                + " was started: wait for it (drainhost-deploy follow), or roll it back"
                + " (drainhost-deploy abort)");
      }
    }
    if (detach) {
      out.println(
          command
              + ": detached; drainhost-deploy follow --cluster "
              + cluster
              + " --deployment "
              + deployment
              + " attaches to it");
      return Plan.DONE;
    }
    return follow(started);
  }

  /**
   * Prints the release's progress as it moves (all of it from its start, else from now), runs its
   * steps here if no controller does, and returns its outcome's exit code.
   */
  public int follow(boolean fromStart) {
    Optional<LocalWorker> local = LocalWorker.unlessController(parts, out);
    try {
      return followOnly(fromStart);
    } finally {
      local.ifPresent(LocalWorker::close);
    }
  }

  private int followOnly(boolean fromStart) {
    WorkflowStub stub = client.newUntypedWorkflowStub(id());
    long printed = 0;
    if (!fromStart) {
      // What happened before this command attached is in the release's history and in status.
      printed = Long.MAX_VALUE;
    }
    boolean saidPaused = false;
    while (true) {
      try {
        Outcome o = stub.getResult(2, TimeUnit.SECONDS, Outcome.class);
        if (printed == Long.MAX_VALUE) {
          out.println(o.message());
        }
        print(o.firstLine(), o.lines(), printed);
        if (o.exitCode() == Plan.USAGE || o.exitCode() == Plan.UNAVAILABLE) {
          err.println("drainhost-deploy: " + o.message());
        }
        return o.exitCode();
      } catch (TimeoutException e) {
        Optional<Progress> p = progress(stub);
        if (p.isPresent()) {
          if (printed == Long.MAX_VALUE) {
            out.println("now: " + p.get().state());
            printed = p.get().firstLine() + p.get().lines().size();
          }
          printed = print(p.get().firstLine(), p.get().lines(), printed);
          saidPaused = false;
        } else if (!saidPaused && !anyWorker()) {
          out.println(
              "the release is paused: no drainhost-deploy worker answers (it resumes when the"
                  + " controller, or a deploy, follow or abort of it, runs)");
          saidPaused = true;
        }
      } catch (WorkflowException e) {
        if (e instanceof WorkflowServiceException
            || e.getCause() instanceof io.grpc.StatusRuntimeException) {
          // Temporal did not answer this once (busy, throttled, a moment away): the release
          // runs on; ask again.
          pause();
          continue;
        }
        err.println(
            "drainhost-deploy: release "
                + id()
                + " ended without an outcome ("
                + e.getCause()
                + "): see drainhost-deploy status");
        return DeployException.UNAVAILABLE;
      }
    }
  }

  /** Whether a worker polls lately; when Temporal cannot say, as if one did (say nothing). */
  private boolean anyWorker() {
    try {
      return Workers.of(parts.stubs(), parts.connections().namespace()).any();
    } catch (RuntimeException e) {
      return true;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException(DeployException.UNAVAILABLE, "interrupted");
    }
  }

  private long print(long firstLine, List<String> lines, long printed) {
    for (int i = 0; i < lines.size(); i++) {
      if (firstLine + i >= printed) {
        out.println(lines.get(i));
      }
    }
    return Math.max(printed, firstLine + lines.size());
  }

  private static Optional<Progress> progress(WorkflowStub stub) {
    try {
      return Optional.of(
          CompletableFuture.supplyAsync(() -> stub.query("progress", Progress.class))
              .get(QUERY_SECONDS, TimeUnit.SECONDS));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** Asks the running release to roll back, then follows it to its outcome. */
  public int abort() {
    if (running().isEmpty()) {
      throw new DeployException(
          DeployException.USAGE,
          "no release of deployment " + deployment + " runs: nothing to abort");
    }
    client
        .newUntypedWorkflowStub(id())
        .signal("abort", "drainhost-deploy abort (" + System.getProperty("user.name", "?") + ")");
    out.println("abort: asked release " + id() + " to roll back");
    return follow(false);
  }

  /** Whether the deployment ever had a release in Temporal (it may have ended). */
  public boolean ever() {
    try {
      client.newUntypedWorkflowStub(id()).describe();
      return true;
    } catch (WorkflowNotFoundException e) {
      return false;
    }
  }

  /** The release that runs now, if one does. */
  public Optional<Running> running() {
    WorkflowExecutionDescription d;
    try {
      d = client.newUntypedWorkflowStub(id()).describe();
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    }
    if (d.getRawDescription().getWorkflowExecutionInfo().getStatus()
        != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return Optional.empty();
    }
    return Optional.of(
        new Running(
            Optional.ofNullable(d.getMemo("command", String.class, String.class)).orElse("?"),
            Optional.ofNullable(d.getMemo("buildId", String.class, String.class)).orElse("?"),
            d.getStartTime(),
            progress(client.newUntypedWorkflowStub(id()))));
  }
}
