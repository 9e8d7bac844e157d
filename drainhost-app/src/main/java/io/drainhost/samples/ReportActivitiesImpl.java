package io.drainhost.samples;

import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Delivers reports over HTTP and says which failures are worth retrying: connection refused, time
 * outs, 5xx and 429 are the sink being down or busy (transient); any other 4xx is the sink refusing
 * this report (permanent).
 */
public class ReportActivitiesImpl implements ReportActivities {
  static final String UNAVAILABLE = "SinkUnavailable";
  static final String REJECTED = "SinkRejected";

  @Override
  public ReportReceipt deliver(ReportDelivery delivery) {
    int attempt = Activity.getExecutionContext().getInfo().getAttempt();
    int status;
    try {
      status = post(delivery);
    } catch (IOException e) {
      // Refused, reset, timed out, unknown host: the sink is not there now.
      throw ApplicationFailure.newFailure(
          "sink unreachable: " + e.getClass().getSimpleName() + " " + e.getMessage(), UNAVAILABLE);
    }
    if (status >= 500 || status == 429 || status == 408) {
      throw ApplicationFailure.newFailure("sink answered " + status, UNAVAILABLE);
    }
    if (status >= 400) {
      throw ApplicationFailure.newNonRetryableFailure(
          "sink refused the report: " + status, REJECTED);
    }
    return new ReportReceipt(delivery.reportId(), Instant.now().toString(), attempt);
  }

  /**
   * POSTs the report; returns the status. Through {@link HttpURLConnection}, which holds no thread
   * between requests: a {@code java.net.http.HttpClient} keeps a selector thread in native code for
   * its whole life, and the JVM's exit waits up to 300 ms for such threads (every stop of a host
   * with this activity registered would take that much longer).
   */
  private static int post(ReportDelivery delivery) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) URI.create(delivery.sinkUrl()).toURL().openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(10_000);
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    c.setRequestProperty("Idempotency-Key", delivery.reportId());
    try {
      try (OutputStream out = c.getOutputStream()) {
        out.write(delivery.body().getBytes(StandardCharsets.UTF_8));
      }
      int status = c.getResponseCode();
      try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        if (in != null) {
          in.transferTo(OutputStream.nullOutputStream());
        }
      }
      return status;
    } finally {
      c.disconnect();
    }
  }
}
