package io.drainhost.samples;

import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Delivers reports over HTTP and says which failures are worth retrying: connection refused, time
 * outs, 5xx and 429 are the sink being down or busy (transient); any other 4xx is the sink refusing
 * this report (permanent).
 */
public class ReportActivitiesImpl implements ReportActivities {
  static final String UNAVAILABLE = "SinkUnavailable";
  static final String REJECTED = "SinkRejected";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  public ReportReceipt deliver(ReportDelivery delivery) {
    int attempt = Activity.getExecutionContext().getInfo().getAttempt();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(delivery.sinkUrl()))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", delivery.reportId())
            .POST(HttpRequest.BodyPublishers.ofString(delivery.body()))
            .build();
    HttpResponse<Void> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      // Refused, reset, timed out, unknown host: the sink is not there now.
      throw ApplicationFailure.newFailure(
          "sink unreachable: " + e.getClass().getSimpleName() + " " + e.getMessage(), UNAVAILABLE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted while delivering", UNAVAILABLE);
    }
    int status = response.statusCode();
    if (status >= 500 || status == 429 || status == 408) {
      throw ApplicationFailure.newFailure("sink answered " + status, UNAVAILABLE);
    }
    if (status >= 400) {
      throw ApplicationFailure.newNonRetryableFailure(
          "sink refused the report: " + status, REJECTED);
    }
    return new ReportReceipt(delivery.reportId(), Instant.now().toString(), attempt);
  }
}
