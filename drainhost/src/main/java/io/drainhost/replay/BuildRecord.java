package io.drainhost.replay;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.StatusUtils;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build's replay verdict, kept in Temporal so that the hosts of a build share one check: a
 * workflow id per build ({@code drainhost-replay-gate/<deployment>/<build id>/<what is checked>}).
 * Starting a run of it claims the check (the id admits one running run: a second host's start is
 * refused, and that host waits for the run to close); the checking host closes the run by
 * terminating it with its verdict as the termination's details. Nothing polls the run's task queue:
 * the run is a record, not work. A claim left by a host that died closes by itself at its timeout.
 *
 * <p>What is checked is part of the id (the task queues, workflow types and sample): hosts of one
 * build configured differently keep separate records.
 */
public final class BuildRecord {
  static final String TASK_QUEUE = "drainhost-replay-gate";
  static final String WORKFLOW_TYPE = "drainhost.ReplayGateRecord";

  /** Beyond the checking host's own deadline: time for it to write its verdict. */
  private static final Duration CLAIM_MARGIN = Duration.ofSeconds(10);

  /** A long poll for the record's close, below Temporal's own (about 20 s) plus a margin. */
  private static final Duration LONG_POLL = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(BuildRecord.class);
  private static final Duration EMPTY_POLL_PAUSE = Duration.ofMillis(200);

  private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;

  private final WorkflowServiceStubs stubs;
  private final String namespace;
  private final String identity;
  private final String workflowId;
  private final Duration rpcTimeout;

  /** A run of this build that replayed clean, and the events its history had then. */
  public record Run(String workflowId, String runId, long events) {}

  /**
   * A check's outcome as the record keeps it: its state, the runs it covered, its failures and
   * notes, which host made it and when.
   */
  public record Verdict(
      String state,
      int checked,
      List<Run> covered,
      List<ReplayFailure> failures,
      List<String> notes,
      String checkedBy,
      String checkedAt) {

    /** The runs covered, by run id: what a later check need not fetch again. */
    Map<String, Long> eventsByRunId() {
      return covered.stream().collect(Collectors.toMap(Run::runId, Run::events, Math::max));
    }
  }

  /** What the record holds when a host comes to it. */
  public sealed interface Look permits Claimed, Shared, Held {}

  /** This host holds the check; {@code prior} is the last verdict, if any. */
  public record Claimed(String runId, Optional<Verdict> prior) implements Look {}

  /** Another host's check, which ran while this host waited: its verdict is this host's. */
  public record Shared(Verdict verdict, String runId) implements Look {}

  /** Another host still held the check at this host's deadline. */
  public record Held(String runId) implements Look {}

  public BuildRecord(
      WorkflowServiceStubs stubs,
      String namespace,
      String identity,
      String version,
      Map<String, Set<String>> typesByQueue,
      int sample,
      Duration rpcTimeout) {
    this.stubs = stubs;
    this.namespace = namespace;
    this.identity = identity;
    this.workflowId = workflowId(version, typesByQueue, sample);
    this.rpcTimeout = rpcTimeout;
  }

  /** The record's workflow id: the version, and a digest of what a check of it covers. */
  static String workflowId(String version, Map<String, Set<String>> typesByQueue, int sample) {
    Map<String, Set<String>> sorted = new TreeMap<>();
    typesByQueue.forEach((q, types) -> sorted.put(q, new TreeSet<>(types)));
    String scope = sorted + " sample=" + sample;
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(scope.getBytes(StandardCharsets.UTF_8));
      return "drainhost-replay-gate/"
          + version.replace(':', '/')
          + "/"
          + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  public String workflowId() {
    return workflowId;
  }

  /**
   * Claims the check, or waits for the host that holds it until {@code deadlineNanos}. A claim
   * whose holder died closes at its timeout; a host still waiting then claims it anew.
   */
  public Look claimOrWait(long deadlineNanos) throws InterruptedException {
    while (true) {
      Optional<Verdict> prior = lastVerdict();
      long left = deadlineNanos - System.nanoTime();
      Optional<String> heldBy;
      try {
        return new Claimed(start(Duration.ofNanos(Math.max(0, left)).plus(CLAIM_MARGIN)), prior);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
          throw e;
        }
        WorkflowExecutionAlreadyStartedFailure f =
            StatusUtils.getFailure(e, WorkflowExecutionAlreadyStartedFailure.class);
        heldBy = Optional.ofNullable(f).map(WorkflowExecutionAlreadyStartedFailure::getRunId);
      }
      String runId = heldBy.orElse("");
      log.info(
          "replay gate: another host of this build is checking it ({}, run {}); waiting for its"
              + " verdict",
          workflowId,
          runId);
      while (System.nanoTime() < deadlineNanos) {
        long polled = System.nanoTime();
        Optional<HistoryEvent> close = closeEvent(runId, true, deadlineNanos);
        if (close.isEmpty()) {
          // The long poll ended with the run still open; one that came back at once is not
          // asked again at once.
          if (System.nanoTime() - polled < EMPTY_POLL_PAUSE.toNanos()) {
            Thread.sleep(EMPTY_POLL_PAUSE.toMillis());
          }
          continue;
        }
        Optional<Verdict> verdict = verdictOf(close.get());
        if (verdict.isPresent()) {
          return new Shared(verdict.get(), runId);
        }
        break; // closed without a verdict (its holder died or gave up): claim it anew
      }
      if (System.nanoTime() >= deadlineNanos) {
        return new Held(runId);
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /** Closes this host's claim with its verdict. */
  public void write(String runId, Verdict verdict) {
    terminate(
        runId,
        "replay check of this build: "
            + verdict.state()
            + " ("
            + verdict.covered().size()
            + " runs covered, "
            + verdict.failures().size()
            + " failures)",
        CONVERTER.toPayloads(verdict));
  }

  /** Gives up this host's claim without a verdict: a waiting host claims it. */
  public void release(String runId, String why) {
    terminate(runId, "no verdict: " + why, Optional.empty());
  }

  private void terminate(String runId, String reason, Optional<Payloads> details) {
    TerminateWorkflowExecutionRequest.Builder r =
        TerminateWorkflowExecutionRequest.newBuilder()
            .setNamespace(namespace)
            .setWorkflowExecution(
                WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
            .setReason(reason)
            .setIdentity(identity);
    details.ifPresent(r::setDetails);
    call().terminateWorkflowExecution(r.build());
  }

  /** Temporal's API for one call, within the request timeout. */
  private WorkflowServiceGrpc.WorkflowServiceBlockingStub call() {
    return stubs.blockingStub().withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private String start(Duration claimFor) {
    return call()
        .startWorkflowExecution(
            StartWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace)
                .setWorkflowId(workflowId)
                .setWorkflowType(WorkflowType.newBuilder().setName(WORKFLOW_TYPE))
                .setTaskQueue(TaskQueue.newBuilder().setName(TASK_QUEUE))
                .setWorkflowExecutionTimeout(
                    com.google.protobuf.Duration.newBuilder()
                        .setSeconds(Math.max(1, claimFor.toSeconds())))
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
                .setIdentity(identity)
                .setRequestId(UUID.randomUUID().toString())
                .build())
        .getRunId();
  }

  /**
   * The newest run's verdict: none while it is open (or without one). A run's close event is read
   * only once the run is closed: Temporal holds a read of an open run's close event until it
   * closes, whatever the request's wait flag.
   */
  private Optional<Verdict> lastVerdict() {
    try {
      WorkflowExecutionInfo newest =
          RunningExecutions.describe(
              stubs,
              namespace,
              WorkflowExecution.newBuilder().setWorkflowId(workflowId).build(),
              rpcTimeout);
      if (newest.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return Optional.empty();
      }
      return closeEvent(newest.getExecution().getRunId(), false, 0).flatMap(BuildRecord::verdictOf);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty(); // no record yet, or past the namespace's retention
      }
      throw e;
    }
  }

  /**
   * The run's close event (an empty run id: the newest run's); empty while it is open, after a long
   * poll of at most {@link #LONG_POLL}, up to {@code deadlineNanos}, when {@code wait}.
   */
  private Optional<HistoryEvent> closeEvent(String runId, boolean wait, long deadlineNanos) {
    WorkflowExecution.Builder execution =
        WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId);
    long callNanos =
        wait
            ? Math.min(Math.max(1, deadlineNanos - System.nanoTime()), LONG_POLL.toNanos())
            : rpcTimeout.toNanos();
    try {
      List<HistoryEvent> events =
          stubs
              .blockingStub()
              .withDeadlineAfter(callNanos, TimeUnit.NANOSECONDS)
              .getWorkflowExecutionHistory(
                  GetWorkflowExecutionHistoryRequest.newBuilder()
                      .setNamespace(namespace)
                      .setExecution(execution)
                      .setWaitNewEvent(wait)
                      .setHistoryEventFilterType(
                          HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
                      .build())
              .getHistory()
              .getEventsList();
      return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1));
    } catch (StatusRuntimeException e) {
      if (wait && e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static Optional<Verdict> verdictOf(HistoryEvent close) {
    if (close.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED
        || !close.getWorkflowExecutionTerminatedEventAttributes().hasDetails()) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        CONVERTER.fromPayloads(
            0,
            Optional.of(close.getWorkflowExecutionTerminatedEventAttributes().getDetails()),
            Verdict.class,
            Verdict.class));
  }

  /** The verdict of this host's check, with the runs it covered. */
  Verdict verdict(ReplayReport r, List<Run> covered) {
    return new Verdict(
        r.state().wireName(),
        r.checked(),
        covered,
        r.failures(),
        r.notes(),
        identity,
        Instant.now().toString());
  }
}
