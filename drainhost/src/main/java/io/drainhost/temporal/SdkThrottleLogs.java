package io.drainhost.temporal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.grpc.Status;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps the SDK's WARN with a full stack trace for every poll or heartbeat Temporal refused with
 * RESOURCE_EXHAUSTED out of the log (93 of them in 30 s on one throttled host): {@link
 * TemporalThrottling} counts those refusals and tells each streak in a few lines instead. Every
 * other SDK message, and every other failure of a poll or heartbeat, is logged as before.
 */
public final class SdkThrottleLogs extends TurboFilter {
  /** The SDK's pollers ({@code BasePoller}: "Failure in poller thread") and heartbeats. */
  private static final String[] SDK_LOGGERS = {
    "io.temporal.internal.worker.", "io.temporal.internal.activity."
  };

  /**
   * Adds the filter to logback's context, once, whatever configured it (drainhost's LogConfigurator
   * or a service's own); nothing without logback.
   */
  public static void install() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    for (TurboFilter f : context.getTurboFilterList()) {
      if (f instanceof SdkThrottleLogs) {
        return;
      }
    }
    SdkThrottleLogs filter = new SdkThrottleLogs();
    filter.setName("drainhost-sdk-throttle-logs");
    filter.start();
    context.addTurboFilter(filter);
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    // Called for every logging call of the process, enabled or not: the cheap test first.
    if (logger == null || !fromSdkWorker(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    Throwable thrown = t != null ? t : lastThrowable(params);
    if (thrown != null && ThrottledCallCounter.isThrottling(Status.fromThrowable(thrown))) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }

  private static boolean fromSdkWorker(String name) {
    for (String prefix : SDK_LOGGERS) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** slf4j takes a trailing Throwable argument as the exception; logback passes it in params. */
  private static Throwable lastThrowable(Object[] params) {
    if (params == null || params.length == 0) {
      return null;
    }
    return params[params.length - 1] instanceof Throwable thrown ? thrown : null;
  }
}
