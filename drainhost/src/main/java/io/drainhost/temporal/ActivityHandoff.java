package io.drainhost.temporal;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.drainhost.tracking.ActivityAttempt;
import io.drainhost.tracking.ActivityAttempts;
import io.drainhost.tracking.InflightItem;
import io.drainhost.tracking.InflightRegistry;
import io.grpc.Status;
import io.temporal.api.failure.v1.ApplicationFailureInfo;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest;
import io.temporal.api.workflowservice.v1.RespondActivityTaskFailedRequest;
import io.temporal.common.converter.DataConverter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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

  /**
   * An attempt still waiting for its hand-off this close to its heartbeat timeout gets a keep-alive
   * heartbeat: more than a round trip to a cluster far away, and the slack in knowing when Temporal
   * started the attempt's clock.
   */
  private static final long KEEP_ALIVE_LEAD = TimeUnit.SECONDS.toNanos(2);

  /**
   * No paced call is sent with less time than this left: its answer could not come back in time,
   * and a call that reached Temporal unanswered leaves its outcome unknown (a later call finds the
   * attempt closed and cannot tell a hand-off from a timeout). The attempt waits for the next
   * phase's call instead, or stays with this host.
   */
  private static final long MIN_PACED_CALL = TimeUnit.MILLISECONDS.toNanos(300);

  /** How long past the retry end answers of calls still on their way are awaited. */
  private static final long ANSWER_GRACE = TimeUnit.MILLISECONDS.toNanos(100);

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

  /**
   * What became of the attempts offered for hand-off: {@code retries} counts the calls Temporal
   * refused for now (rate limited or briefly unavailable) and that were sent again; {@code
   * notHandedOff} the attempts still not handed back at the end, by cause.
   */
  public record Outcome(
      int handedOff,
      int finishedMeanwhile,
      int retries,
      Map<HandoffFailure, Integer> notHandedOff) {
    public static final Outcome NONE = new Outcome(0, 0, 0, Map.of());

    public Outcome {
      notHandedOff = Map.copyOf(notHandedOff);
    }

    public int failed() {
      return notHandedOff.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** {@code none}, {@code throttled}, or {@code throttled:5,unreachable:1} when mixed. */
    public String failedCause() {
      if (notHandedOff.isEmpty()) {
        return "none";
      }
      if (notHandedOff.size() == 1) {
        return notHandedOff.keySet().iterator().next().wireName();
      }
      return Arrays.stream(HandoffFailure.values())
          .filter(notHandedOff::containsKey)
          .map(c -> c.wireName() + ":" + notHandedOff.get(c))
          .collect(Collectors.joining(","));
    }
  }

  /** What a call of the hand-off was. */
  private enum CallKind {
    FIRST,
    PACED,
    KEEP_ALIVE
  }

  /** The answer to one call, as it arrives. */
  private record Answer(InflightItem item, Status.Code code, CallKind kind) {}

  /**
   * Fails every attempt back to Temporal: first all at once (one round trip for all, each call
   * bounded by {@code perCall}), then, for the calls refused for now ({@code RESOURCE_EXHAUSTED}
   * from a namespace rate limit when a whole fleet drains at once, {@code UNAVAILABLE}, {@code
   * ABORTED}), again at a {@link HandoffPace} fed by what Temporal accepts, the attempt Temporal
   * would time out first first, while {@code untilNanos} has not passed. Each attempt stops
   * heartbeating at once (on a throttled namespace a heartbeat spends what a hand-off needs); one
   * that would reach its heartbeat timeout before its hand-off gets a single keep-alive heartbeat
   * (with its newest details) instead of timing out. Each handed-off attempt's thread is then
   * interrupted and ends quietly.
   */
  public Outcome handOff(List<InflightItem> activities, Duration perCall, long untilNanos) {
    for (InflightItem item : activities) {
      attempts.find(item.taskToken()).ifPresent(ActivityAttempt::markDeparting);
    }
    BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    long firstCallMillis = Math.max(1, perCall.toMillis());
    for (InflightItem item : activities) {
      send(item, firstCallMillis, CallKind.FIRST, answers);
    }
    int outstanding = activities.size();
    long answersUntil = System.nanoTime() + perCall.toNanos() + ANSWER_GRACE;
    PriorityQueue<InflightItem> again = new PriorityQueue<>(byHeartbeatDeadline());
    Map<InflightItem, Status.Code> lastRefusal = new IdentityHashMap<>();
    Map<InflightItem, Long> keptAlive = new IdentityHashMap<>();
    Map<HandoffFailure, Integer> notHandedOff = new EnumMap<>(HandoffFailure.class);
    HandoffPace pace = new HandoffPace();
    long nextSend = 0;
    int handedOff = 0;
    int finished = 0;
    int retries = 0;
    int keepAlives = 0;
    long pacedSince = 0;
    while (outstanding > 0 || !again.isEmpty()) {
      long now = System.nanoTime();
      if (!again.isEmpty() && now >= untilNanos) {
        // Out of time: what is still refused stays with this host, and is not lost: Temporal
        // retries it after its heartbeat timeout.
        for (InflightItem item : again) {
          notHandedOff.merge(HandoffFailure.of(lastRefusal.get(item)), 1, Integer::sum);
        }
        again.clear();
        continue;
      }
      long nextKeepAlive = Long.MAX_VALUE;
      for (InflightItem item : again) {
        OptionalLong deadline = deadline(item);
        if (deadline.isEmpty()) {
          continue;
        }
        long due = deadline.getAsLong() - KEEP_ALIVE_LEAD;
        Long last = keptAlive.get(item);
        if (last != null) {
          due = Math.max(due, last + KEEP_ALIVE_LEAD);
        }
        if (due <= now) {
          keepAlive(item, answers);
          keptAlive.put(item, now);
          outstanding++;
          keepAlives++;
          due = now + KEEP_ALIVE_LEAD;
        }
        nextKeepAlive = Math.min(nextKeepAlive, due);
      }
      if (!again.isEmpty() && now >= nextSend && untilNanos - now < MIN_PACED_CALL) {
        nextSend = untilNanos; // too late for another call to be answered: wait for the end
        continue;
      }
      if (!again.isEmpty() && now >= nextSend) {
        InflightItem item = again.poll();
        long callMillis =
            Math.max(
                1, Math.min(perCall.toMillis(), TimeUnit.NANOSECONDS.toMillis(untilNanos - now)));
        send(item, callMillis, CallKind.PACED, answers);
        outstanding++;
        answersUntil =
            Math.max(answersUntil, now + TimeUnit.MILLISECONDS.toNanos(callMillis) + ANSWER_GRACE);
        nextSend = now + pace.intervalNanos(now);
        retries++;
        continue;
      }
      long wakeAt = again.isEmpty() ? answersUntil : Math.min(nextSend, untilNanos);
      Answer answer = poll(answers, Math.min(wakeAt, nextKeepAlive) - now);
      if (answer == null) {
        if (again.isEmpty() && System.nanoTime() >= answersUntil) {
          // Calls that never answered (their deadline should have ended them): Temporal is gone.
          notHandedOff.merge(HandoffFailure.UNREACHABLE, outstanding, Integer::sum);
          break;
        }
        continue;
      }
      outstanding--;
      InflightItem item = answer.item();
      Status.Code code = answer.code();
      if (answer.kind() == CallKind.KEEP_ALIVE) {
        if (code == Status.Code.NOT_FOUND && again.remove(item)) {
          // Closed by Temporal before its keep-alive: timed out, or ended as it was sent.
          finished += closedByTemporal(item, notHandedOff);
        }
        continue;
      }
      if (code == Status.Code.OK) {
        handedOff++;
        if (answer.kind() == CallKind.PACED) {
          pace.accepted(System.nanoTime());
        }
        handedOff(item);
      } else if (code == Status.Code.NOT_FOUND) {
        finished += closedByTemporal(item, notHandedOff);
      } else if (RETRYABLE.contains(code) && System.nanoTime() < untilNanos) {
        if (pacedSince == 0) {
          pacedSince = System.nanoTime();
          log.warn(
              "activity hand-off refused for now: status={} attempts={}; sending again at the"
                  + " pace Temporal accepts, the nearest heartbeat timeout first, for up to {} ms",
              code,
              activities.size(),
              Math.max(0, TimeUnit.NANOSECONDS.toMillis(untilNanos - System.nanoTime())));
        }
        lastRefusal.put(item, code);
        again.add(item);
      } else {
        HandoffFailure cause = HandoffFailure.of(code);
        notHandedOff.merge(cause, 1, Integer::sum);
        if (cause == HandoffFailure.REJECTED) {
          log.error(
              "activity hand-off failed: workflowId={} activityType={} attempt={} status={}",
              item.workflowId(),
              item.type(),
              item.attempt(),
              code);
        }
      }
    }
    Outcome outcome = new Outcome(handedOff, finished, retries, notHandedOff);
    if (retries > 0) {
      long pacedMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pacedSince));
      log.info(
          "activity hand-off paced: handedOff={} retries={} keepAlives={} notHandedOff={}"
              + " pacedMs={} finalRate={}",
          handedOff,
          retries,
          keepAlives,
          outcome.failedCause(),
          pacedMs,
          String.format(Locale.ROOT, "%.1f", pace.rate(System.nanoTime())));
    }
    return outcome;
  }

  /** Attempts Temporal would time out sooner first; those with no heartbeat timeout last. */
  private Comparator<InflightItem> byHeartbeatDeadline() {
    return Comparator.comparingLong(i -> deadline(i).orElse(Long.MAX_VALUE));
  }

  private OptionalLong deadline(InflightItem item) {
    return attempts
        .find(item.taskToken())
        .map(ActivityAttempt::heartbeatDeadline)
        .orElse(OptionalLong.empty());
  }

  /**
   * Temporal answered NOT_FOUND: it closed the attempt already. Still running here, it timed out
   * (its next attempt runs after the retry interval, from the last checkpoint Temporal has): it is
   * ended quietly, as a handed-off one, and counted as not handed back. Returns 1 when it had
   * simply finished meanwhile.
   */
  private int closedByTemporal(InflightItem item, Map<HandoffFailure, Integer> notHandedOff) {
    Optional<ActivityAttempt> attempt = attempts.find(item.taskToken());
    if (attempt.isEmpty()) {
      return 1; // it completed between the deadline and our call
    }
    notHandedOff.merge(HandoffFailure.TIMED_OUT, 1, Integer::sum);
    endHere(item, attempt);
    log.warn(
        "activity closed by Temporal before its hand-off (its heartbeat timeout passed):"
            + " workflowId={} activityType={} attempt={}; it runs again after its retry interval",
        item.workflowId(),
        item.type(),
        item.attempt());
    return 0;
  }

  /** Sends one hand-off; its answer is put on {@code answers} when it arrives. */
  private void send(
      InflightItem item, long callMillis, CallKind kind, BlockingQueue<Answer> answers) {
    ListenableFuture<?> call =
        connection
            .stubs()
            .futureStub()
            .withDeadlineAfter(callMillis, TimeUnit.MILLISECONDS)
            .respondActivityTaskFailed(request(item, attempts.find(item.taskToken())));
    answerWhenDone(call, item, kind, answers);
  }

  /** Puts the call's answer on {@code answers} as soon as it arrives. */
  private static void answerWhenDone(
      ListenableFuture<?> call, InflightItem item, CallKind kind, BlockingQueue<Answer> answers) {
    call.addListener(
        () -> answers.add(new Answer(item, code(call), kind)), MoreExecutors.directExecutor());
  }

  /**
   * One heartbeat for an attempt still waiting for its hand-off, with its newest details: Temporal
   * ranks heartbeats above hand-offs, so it is accepted where the hand-off is not yet, and moves
   * the attempt's heartbeat timeout a whole timeout on.
   */
  private void keepAlive(InflightItem item, BlockingQueue<Answer> answers) {
    RecordActivityTaskHeartbeatRequest.Builder request =
        RecordActivityTaskHeartbeatRequest.newBuilder()
            .setNamespace(connection.namespace())
            .setIdentity(connection.identity())
            .setTaskToken(ByteString.copyFrom(item.taskToken()));
    attempts
        .find(item.taskToken())
        .flatMap(ActivityAttempt::latestDetails)
        .flatMap(details -> converter.toPayloads(details))
        .ifPresent(request::setDetails);
    ListenableFuture<?> call =
        connection
            .stubs()
            .futureStub()
            .withDeadlineAfter(KEEP_ALIVE_LEAD / 2, TimeUnit.NANOSECONDS)
            .recordActivityTaskHeartbeat(request.build());
    answerWhenDone(call, item, CallKind.KEEP_ALIVE, answers);
  }

  private static Status.Code code(ListenableFuture<?> done) {
    try {
      done.get();
      return Status.Code.OK;
    } catch (ExecutionException e) {
      return Status.fromThrowable(e.getCause()).getCode();
    } catch (CancellationException e) {
      return Status.Code.CANCELLED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Status.Code.CANCELLED;
    }
  }

  private static Answer poll(BlockingQueue<Answer> answers, long nanos) {
    try {
      return answers.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * What is still not handed back when the retries end stays with Temporal, which runs it again
   * after its heartbeat timeout: each attempt is marked so that its thread, interrupted next, ends
   * without a report and without a stack trace; one line names them.
   */
  public void leaveToTemporal(List<InflightItem> left, String cause) {
    if (left.isEmpty()) {
      return;
    }
    for (InflightItem item : left) {
      attempts.find(item.taskToken()).ifPresent(ActivityAttempt::markLeft);
    }
    log.warn(
        "activities left to Temporal's heartbeat timeout: count={} cause={} workflowIds={}",
        left.size(),
        cause,
        left.stream().limit(10).map(InflightItem::workflowId).toList()
            + (left.size() > 10 ? " and " + (left.size() - 10) + " more" : ""));
  }

  /**
   * The attempt is no longer this host's (handed back, or closed by Temporal): its thread ends
   * quietly. Only then: an attempt whose hand-off failed is still this host's (at the deadline the
   * drain interrupts what is left anyway), and one that already ended may have left its thread to
   * another task.
   */
  private void endHere(InflightItem item, Optional<ActivityAttempt> attempt) {
    attempt.ifPresent(ActivityAttempt::markHandedOff);
    registry.handedOff(item);
    attempt.ifPresent(a -> a.thread().interrupt());
  }

  private void handedOff(InflightItem item) {
    Optional<ActivityAttempt> attempt = attempts.find(item.taskToken());
    endHere(item, attempt);
    log.info(
        "activity handed off: workflowId={} runId={} activityType={} attempt={} details={}"
            + " nextAttempt=now",
        item.workflowId(),
        item.runId(),
        item.type(),
        item.attempt(),
        attempt.flatMap(ActivityAttempt::latestDetails).isPresent() ? "recorded" : "none");
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
