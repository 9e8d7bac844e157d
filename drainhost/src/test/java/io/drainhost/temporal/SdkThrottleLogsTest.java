package io.drainhost.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SdkThrottleLogsTest {
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private static final StatusRuntimeException THROTTLED =
      Status.RESOURCE_EXHAUSTED
          .withDescription("namespace rate limit exceeded")
          .asRuntimeException();

  private final Logger sdk = (Logger) LoggerFactory.getLogger("io.temporal");
  private Level sdkLevel;

  @BeforeEach
  void captureLog() {
    // The tests' logback config keeps the SDK at ERROR; a host logs its WARNs.
    sdkLevel = sdk.getLevel();
    sdk.setLevel(Level.WARN);
    SdkThrottleLogs.install();
    lines.start();
    root.addAppender(lines);
  }

  @AfterEach
  void releaseLog() {
    root.detachAppender(lines);
    sdk.setLevel(sdkLevel);
  }

  @Test
  void theSdksStackTraceForARefusedHeartbeatOrPollIsNotLogged() {
    LoggerFactory.getLogger("io.temporal.internal.activity.HeartbeatContextImpl")
        .warn("Heartbeat failed", THROTTLED);
    LoggerFactory.getLogger("io.temporal.internal.worker.BasePoller")
        .warn("Failure in poller thread {}", "Activity Poller taskQueue=\"q\"", THROTTLED);
    LoggerFactory.getLogger("io.temporal.internal.worker.BasePoller")
        .warn(
            "Failure in poller thread {}",
            "Workflow Poller",
            new RuntimeException("wrapped", THROTTLED));
    assertEquals(List.of(), messages());
  }

  @Test
  void everyOtherSdkFailureAndEveryOtherLoggerStillLogs() {
    LoggerFactory.getLogger("io.temporal.internal.activity.HeartbeatContextImpl")
        .warn("Heartbeat failed", Status.UNAVAILABLE.asRuntimeException());
    LoggerFactory.getLogger("io.temporal.internal.worker.BasePoller")
        .warn(
            "Failure in poller thread {}",
            "Activity Poller",
            Status.RESOURCE_EXHAUSTED
                .withDescription("gRPC message exceeds maximum size 4194304: 5000000")
                .asRuntimeException());
    LoggerFactory.getLogger("com.example.Orders").warn("order failed", THROTTLED);
    assertEquals(
        List.of("Heartbeat failed", "Failure in poller thread Activity Poller", "order failed"),
        messages());
  }

  @Test
  void installingTwiceAddsOneFilter() {
    SdkThrottleLogs.install();
    ch.qos.logback.classic.LoggerContext context =
        (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
    assertEquals(
        1, context.getTurboFilterList().stream().filter(f -> f instanceof SdkThrottleLogs).count());
  }

  private List<String> messages() {
    return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
