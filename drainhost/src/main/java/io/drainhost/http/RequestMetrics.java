package io.drainhost.http;

import io.drainhost.metrics.MeterNames;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times every HTTP request as {@code http.server.requests} by method, route template (never the raw
 * path: tag values must come from a bounded set) and status. Never breaks a request.
 */
final class RequestMetrics {
  private static final Logger log = LoggerFactory.getLogger(RequestMetrics.class);
  private static final String START = "drainhost.requestStart";

  private final MeterRegistry registry;
  private volatile boolean failureLogged;

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void begin(Context ctx) {
    ctx.attribute(START, System.nanoTime());
  }

  void end(Context ctx) {
    try {
      Long start = ctx.attribute(START);
      if (start == null) {
        return;
      }
      int status = ctx.status().getCode();
      Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
      String uri = endpoint != null ? endpoint.path : (status == 404 ? "NOT_FOUND" : "UNKNOWN");
      Timer.builder(MeterNames.HTTP_REQUESTS)
          .tag("method", ctx.method().name())
          .tag("uri", uri)
          .tag("status", Integer.toString(status))
          .tag("outcome", outcome(status))
          // Buckets let dashboards compute latency percentiles across tasks.
          .publishPercentileHistogram()
          .minimumExpectedValue(java.time.Duration.ofMillis(1))
          .maximumExpectedValue(java.time.Duration.ofSeconds(10))
          .register(registry)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      if (!failureLogged) {
        failureLogged = true;
        log.warn("recording HTTP metrics failed (logged once): error={}", e.toString());
      }
    }
  }

  private static String outcome(int status) {
    if (status >= 500) {
      return "SERVER_ERROR";
    }
    if (status >= 400) {
      return "CLIENT_ERROR";
    }
    return status >= 200 && status < 300 ? "SUCCESS" : "OTHER";
  }
}
