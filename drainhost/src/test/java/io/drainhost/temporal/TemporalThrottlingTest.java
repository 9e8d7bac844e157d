package io.drainhost.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.drainhost.time.MovableClock;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TemporalThrottlingTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T12:00:00Z"));
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final TemporalThrottling throttling = new TemporalThrottling(metrics, clock);
  private final Logger logger = (Logger) LoggerFactory.getLogger(TemporalThrottling.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void captureLog() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void releaseLog() {
    logger.detachAppender(lines);
    throttling.close();
  }

  @Test
  void everyRefusalIsCountedByKindOfCallFromZero() {
    assertEquals(0, throttled("heartbeat"));
    throttling.refused(CallKind.HEARTBEAT, "RecordActivityTaskHeartbeat", "rate limit");
    throttling.refused(CallKind.HEARTBEAT, "RecordActivityTaskHeartbeat", "rate limit");
    throttling.refused(CallKind.POLL, "PollActivityTaskQueue", "rate limit");
    assertEquals(2, throttled("heartbeat"));
    assertEquals(1, throttled("poll"));
    assertEquals(0, throttled("respond"));
  }

  @Test
  void aStreakIsShownWhileItLastsAndEndsAfterTenQuietSeconds() {
    assertTrue(throttling.current().isEmpty());
    Instant first = clock.instant();
    for (int i = 0; i < 93; i++) {
      throttling.refused(CallKind.HEARTBEAT, "RecordActivityTaskHeartbeat", "rate limit");
      clock.advance(Duration.ofMillis(300));
    }
    TemporalThrottling.Streak streak = throttling.current().orElseThrow();
    assertEquals(first, streak.since());
    assertEquals(93, streak.calls());
    clock.advance(Duration.ofSeconds(9));
    assertTrue(throttling.current().isPresent(), "9 s without a refusal: still throttled");
    clock.advance(Duration.ofSeconds(1));
    throttling.tick();
    assertTrue(throttling.current().isEmpty(), "10 s without a refusal: the streak ended");
  }

  @Test
  void aLongStreakIsLoggedInAFewLinesNotOnePerRefusal() {
    // 5 minutes of refusals, 3 per second, then quiet.
    for (int s = 0; s < 300; s++) {
      for (int i = 0; i < 3; i++) {
        throttling.refused(CallKind.HEARTBEAT, "RecordActivityTaskHeartbeat", "rate limit");
      }
      clock.advance(Duration.ofSeconds(1));
      throttling.tick();
    }
    clock.advance(Duration.ofSeconds(11));
    throttling.tick();
    List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertTrue(
        messages.get(0).startsWith("temporal throttling started: call=heartbeat"), messages.get(0));
    assertTrue(messages.get(messages.size() - 1).startsWith("temporal throttling ended:"));
    assertTrue(messages.get(messages.size() - 1).contains("calls=900"), messages.toString());
    // start, one summary a minute, end
    assertEquals(7, messages.size(), messages.toString());
    assertTrue(lines.list.stream().allMatch(e -> e.getThrowableProxy() == null));
  }

  @Test
  void aNewRefusalAfterTheQuietStartsANewStreak() {
    throttling.refused(CallKind.POLL, "PollActivityTaskQueue", "rate limit");
    clock.advance(Duration.ofSeconds(30));
    throttling.refused(CallKind.POLL, "PollActivityTaskQueue", "rate limit");
    TemporalThrottling.Streak streak = throttling.current().orElseThrow();
    assertEquals(1, streak.calls());
    assertEquals(clock.instant(), streak.since());
  }

  @Test
  void onlyTheServersRefusalsAreThrottlingNotAMessageOverTheSizeLimit() {
    assertTrue(
        ThrottledCallCounter.isThrottling(
            Status.RESOURCE_EXHAUSTED.withDescription("namespace rate limit exceeded")));
    assertFalse(
        ThrottledCallCounter.isThrottling(
            Status.RESOURCE_EXHAUSTED.withDescription(
                "gRPC message exceeds maximum size 4194304: 5000000")));
    assertFalse(ThrottledCallCounter.isThrottling(Status.UNAVAILABLE));
  }

  private double throttled(String call) {
    return metrics.get("drainhost.temporal.throttled").tag("call", call).counter().count();
  }
}
