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
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
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

  /** Answers that mean "not now": the same call may succeed a moment later. */
  private static final Set<Status.Code> RETRYABLE =
      EnumSet.of(Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNAVAILABLE, Status.Code.ABORTED);

  /** The first retry round spreads its calls over this window; each further round doubles it. */
  private static final Duration RETRY_WINDOW_FIRST = Duration.ofMillis(100);

  private static final Duration RETRY_WINDOW_MAX = Duration.ofSeconds(1);

  private final TemporalConnection connection;
  private final ActivityAttempts attempts;
  private final DataConverter converter;

  private final InflightRegistry registry;
  private final DoubleSupplier random;
  private final Backoff backoff;

  public ActivityHandoff(
      TemporalConnection connection, ActivityAttempts attempts, InflightRegistry registry) {
    this(connection, attempts, registry, () -> ThreadLocalRandom.current().nextDouble());
  }

  ActivityHandoff(
      TemporalConnection connection,
      ActivityAttempts attempts,
      InflightRegistry registry,
      DoubleSupplier random) {
    this.random = random;
    this.backoff = new Backoff(RETRY_WINDOW_FIRST, RETRY_WINDOW_MAX, () -> 0.5);
    this.connection = connection;
    this.attempts = attempts;
    this.registry = registry;
    this.converter = connection.client().getOptions().getDataConverter();
  }

  /**
   * What became of the attempts offered for hand-off; {@code retries} counts the calls Temporal
   * refused for now (rate limited or briefly unavailable) and that were sent again.
   */
  public record Outcome(int handedOff, int finishedMeanwhile, int failed, int retries) {
    public static final Outcome NONE = new Outcome(0, 0, 0, 0);
  }

  /**
   * Fails every attempt back to Temporal at once (one round trip for all, not one per attempt),
   * each call bounded by {@code perCall}. A call refused for now ({@code RESOURCE_EXHAUSTED} from a
   * namespace rate limit when a whole fleet drains at once, {@code UNAVAILABLE}, {@code ABORTED})
   * is sent again after a jittered backoff, spread so the fleet's retries do not arrive together,
   * while {@code untilNanos} has not passed; what is still refused then counts as failed. Each
   * handed-off attempt's thread is then interrupted and ends quietly.
   */
  public Outcome handOff(List<InflightItem> activities, Duration perCall, long untilNanos) {
    List<InflightItem> pending = activities;
    int handedOff = 0;
    int finished = 0;
    int failed = 0;
    int retries = 0;
    for (int round = 0; !pending.isEmpty(); round++) {
      List<ListenableFuture<?>> calls = send(pending, round, perCall, untilNanos);
      List<InflightItem> again = new ArrayList<>();
      long waitUntil = System.nanoTime() + perCall.toNanos() + TimeUnit.MILLISECONDS.toNanos(100);
      for (int i = 0; i < pending.size(); i++) {
        InflightItem item = pending.get(i);
        Status.Code code = await(calls.get(i), waitUntil);
        if (code == Status.Code.OK) {
          handedOff++;
          handedOff(item);
        } else if (code == Status.Code.NOT_FOUND) {
          // The attempt completed (or timed out) between the deadline and our call.
          finished++;
        } else if (RETRYABLE.contains(code) && System.nanoTime() < untilNanos) {
          again.add(item);
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
      if (!again.isEmpty()) {
        retries += again.size();
        log.warn(
            "activity hand-off refused for now: attempts={} round={}; retrying within {} ms",
            again.size(),
            round + 1,
            Math.max(0, TimeUnit.NANOSECONDS.toMillis(untilNanos - System.nanoTime())));
      }
      pending = again;
    }
    return new Outcome(handedOff, finished, failed, retries);
  }

  /**
   * Sends one round of calls. The first goes out at once; a retry round spreads its calls over a
   * backoff window (full jitter), which is what lets a throttled namespace recover.
   */
  private List<ListenableFuture<?>> send(
      List<InflightItem> items, int round, Duration perCall, long untilNanos) {
    long roundStart = System.nanoTime();
    long window = round == 0 ? 0 : backoff.delay(round).toNanos();
    long[] offsets = new long[items.size()];
    Integer[] order = new Integer[items.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = (long) (window * random.getAsDouble());
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(offsets[a], offsets[b]));
    List<ListenableFuture<?>> calls = new ArrayList<>(Collections.nCopies(offsets.length, null));
    for (int i : order) {
      long sendAt = Math.min(roundStart + offsets[i], untilNanos);
      sleepUntil(sendAt);
      // The first round is as it always was; only retries are bounded by the retry end.
      long callMillis =
          round == 0
              ? Math.max(1, perCall.toMillis())
              : Math.max(
                  1,
                  Math.min(
                      perCall.toMillis(),
                      TimeUnit.NANOSECONDS.toMillis(untilNanos - System.nanoTime())));
      InflightItem item = items.get(i);
      calls.set(
          i,
          connection
              .stubs()
              .futureStub()
              .withDeadlineAfter(callMillis, TimeUnit.MILLISECONDS)
              .respondActivityTaskFailed(request(item, attempts.find(item.taskToken()))));
    }
    return calls;
  }

  private void handedOff(InflightItem item) {
    Optional<ActivityAttempt> attempt = attempts.find(item.taskToken());
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
  }

  private static void sleepUntil(long nanos) {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
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
