package io.drainhost.temporal;

import com.google.protobuf.ByteString;
import io.drainhost.tracking.ActivityAttempt;
import io.drainhost.tracking.ActivityAttempts;
import io.drainhost.tracking.InflightItem;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.failure.v1.ApplicationFailureInfo;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.workflowservice.v1.RespondActivityTaskFailedRequest;
import io.temporal.common.converter.DataConverter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands activity attempts that cannot finish inside the drain back to Temporal: fails each attempt
 * by task token as retryable, with its newest heartbeat details, so the next attempt starts on
 * another host after the retry policy's first interval and resumes from that checkpoint. Failing by
 * token works even when the activity code ignores interrupts, and does not depend on the SDK
 * reporting from an interrupted thread (sdk-java#731). The attempt's thread is interrupted after.
 */
public final class ActivityHandoff {
  private static final Logger log = LoggerFactory.getLogger(ActivityHandoff.class);
  public static final String FAILURE_TYPE = "drainhost.HandedOff";

  private final TemporalConnection connection;
  private final ActivityAttempts attempts;
  private final DataConverter converter;

  public ActivityHandoff(TemporalConnection connection, ActivityAttempts attempts) {
    this.connection = connection;
    this.attempts = attempts;
    this.converter = connection.client().getOptions().getDataConverter();
  }

  /** What became of the attempts offered for hand-off. */
  public record Outcome(int handedOff, int finishedMeanwhile, int failed) {}

  public Outcome handOff(List<InflightItem> activities, Duration rpcDeadline) {
    int handedOff = 0;
    int finished = 0;
    int failed = 0;
    for (InflightItem item : activities) {
      Optional<ActivityAttempt> attempt = attempts.find(item.taskToken());
      try {
        connection
            .stubs()
            .blockingStub()
            .withDeadlineAfter(Math.max(1, rpcDeadline.toMillis()), TimeUnit.MILLISECONDS)
            .respondActivityTaskFailed(request(item, attempt));
        handedOff++;
        log.info(
            "activity handed off: workflowId={} runId={} activityType={} attempt={} details={}",
            item.workflowId(), item.runId(), item.type(), item.attempt(),
            attempt.flatMap(ActivityAttempt::latestDetails).isPresent() ? "recorded" : "none");
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
          // The attempt completed (or timed out) between the deadline and our call.
          finished++;
        } else {
          failed++;
          log.error(
              "activity hand-off failed: workflowId={} activityType={} attempt={} status={}",
              item.workflowId(), item.type(), item.attempt(), e.getStatus().getCode());
        }
      }
      attempt.ifPresent(a -> a.thread().interrupt());
    }
    return new Outcome(handedOff, finished, failed);
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
                        "handed off by drainhost: host " + connection.identity()
                            + " is stopping and this attempt did not finish within"
                            + " DRAINHOST_SHUTDOWN_TIMEOUT; it is retried elsewhere")
                    .setSource("drainhost")
                    .setApplicationFailureInfo(
                        ApplicationFailureInfo.newBuilder()
                            .setType(FAILURE_TYPE)
                            .setNonRetryable(false)));
    attempt
        .flatMap(ActivityAttempt::latestDetails)
        .flatMap(details -> converter.toPayloads(details))
        .ifPresent(request::setLastHeartbeatDetails);
    return request.build();
  }

}
