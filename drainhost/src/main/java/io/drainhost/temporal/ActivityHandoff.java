package io.drainhost.temporal;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.drainhost.tracking.ActivityAttempt;
import io.drainhost.tracking.ActivityAttempts;
import io.drainhost.tracking.InflightItem;
import io.drainhost.tracking.InflightRegistry;
import io.grpc.Status;
import io.temporal.api.failure.v1.ApplicationFailureInfo;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.workflowservice.v1.RespondActivityTaskFailedRequest;
import io.temporal.common.converter.DataConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands activity attempts that cannot finish inside the drain back to Temporal: fails each attempt
 * by task token as retryable, with its newest heartbeat details and a next-retry delay of 1 ms, so
 * the next attempt starts on another host at once and resumes from that checkpoint. Failing by
 * token works even when the activity code ignores interrupts, and does not depend on the SDK
 * reporting from an interrupted thread (sdk-java#731). A handed-off attempt's thread is interrupted
 * after.
 */
public final class ActivityHandoff {
  private static final Logger log = LoggerFactory.getLogger(ActivityHandoff.class);
  public static final String FAILURE_TYPE = "drainhost.HandedOff";

  /**
   * The server schedules the next attempt after this instead of the retry policy's interval. Not
   * zero: a real server reads a delay of zero or less as "no retry" and fails the activity with
   * RETRY_STATE_TIMEOUT (checked against Temporal 1.32).
   */
  private static final com.google.protobuf.Duration NEXT_ATTEMPT_NOW =
      com.google.protobuf.util.Durations.fromMillis(1);

  private final TemporalConnection connection;
  private final ActivityAttempts attempts;
  private final DataConverter converter;

  private final InflightRegistry registry;

  public ActivityHandoff(
      TemporalConnection connection, ActivityAttempts attempts, InflightRegistry registry) {
    this.connection = connection;
    this.attempts = attempts;
    this.registry = registry;
    this.converter = connection.client().getOptions().getDataConverter();
  }

  /** What became of the attempts offered for hand-off. */
  public record Outcome(int handedOff, int finishedMeanwhile, int failed) {
    public static final Outcome NONE = new Outcome(0, 0, 0);
  }

  /**
   * Fails every attempt back to Temporal at once (one round trip for all, not one per attempt) and
   * waits for the answers until {@code rpcDeadline}; an answer not back by then counts as failed.
   * Each handed-off attempt's thread is then interrupted and ends quietly.
   */
  public Outcome handOff(List<InflightItem> activities, Duration rpcDeadline) {
    long deadlineMillis = Math.max(1, rpcDeadline.toMillis());
    List<ListenableFuture<?>> calls = new ArrayList<>();
    for (InflightItem item : activities) {
      calls.add(
          connection
              .stubs()
              .futureStub()
              .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
              .respondActivityTaskFailed(request(item, attempts.find(item.taskToken()))));
    }
    long waitUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis + 100);
    int handedOff = 0;
    int finished = 0;
    int failed = 0;
    for (int i = 0; i < activities.size(); i++) {
      InflightItem item = activities.get(i);
      Optional<ActivityAttempt> attempt = attempts.find(item.taskToken());
      Status.Code code = await(calls.get(i), waitUntil);
      if (code == Status.Code.OK) {
        handedOff++;
        attempt.ifPresent(ActivityAttempt::markHandedOff);
        registry.handedOff(item);
        // No longer ours: its thread ends quietly. Only then: an attempt whose hand-off failed
        // is still this host's (at the deadline the drain interrupts what is left anyway), and
        // one that already ended may have left its thread to another task.
        attempt.ifPresent(a -> a.thread().interrupt());
        log.info(
            "activity handed off: workflowId={} runId={} activityType={} attempt={} details={}"
                + " nextAttempt=now",
            item.workflowId(),
            item.runId(),
            item.type(),
            item.attempt(),
            attempt.flatMap(ActivityAttempt::latestDetails).isPresent() ? "recorded" : "none");
      } else if (code == Status.Code.NOT_FOUND) {
        // The attempt completed (or timed out) between the deadline and our call.
        finished++;
      } else {
        failed++;
        log.error(
            "activity hand-off failed: workflowId={} activityType={} attempt={} status={}",
            item.workflowId(),
            item.type(),
            item.attempt(),
            code);
      }
    }
    return new Outcome(handedOff, finished, failed);
  }

  private static Status.Code await(ListenableFuture<?> call, long untilNanos) {
    try {
      call.get(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      return Status.Code.OK;
    } catch (ExecutionException e) {
      return Status.fromThrowable(e.getCause()).getCode();
    } catch (TimeoutException e) {
      call.cancel(true);
      return Status.Code.DEADLINE_EXCEEDED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel(true);
      return Status.Code.CANCELLED;
    }
  }

  private RespondActivityTaskFailedRequest request(
      InflightItem item, Optional<ActivityAttempt> attempt) {
    RespondActivityTaskFailedRequest.Builder request =
        RespondActivityTaskFailedRequest.newBuilder()
            .setNamespace(connection.namespace())
            .setIdentity(connection.identity())
            .setTaskToken(ByteString.copyFrom(item.taskToken()))
            .setFailure(
                Failure.newBuilder()
                    .setMessage(
                        "handed off by drainhost: host "
                            + connection.identity()
                            + " is stopping and this attempt did not finish within"
                            + " DRAINHOST_SHUTDOWN_TIMEOUT; it is retried elsewhere")
                    .setSource("drainhost")
                    .setApplicationFailureInfo(
                        ApplicationFailureInfo.newBuilder()
                            .setType(FAILURE_TYPE)
                            .setNonRetryable(false)
                            // The next attempt starts at once, not after the retry interval.
                            .setNextRetryDelay(NEXT_ATTEMPT_NOW)));
    attempt
        .flatMap(ActivityAttempt::latestDetails)
        .flatMap(details -> converter.toPayloads(details))
        .ifPresent(request::setLastHeartbeatDetails);
    return request.build();
  }
}
