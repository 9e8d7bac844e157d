package io.drainhost.samples;

import io.drainhost.ValidatedInput;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Input of {@link ReportWorkflow}: {@code {"report": "daily-triage", "sinkUrl":
 * "http://reports.internal/inbox", "deliverWithin": "6h"}}.
 *
 * @param deliverWithin how long delivery may keep retrying (a duration such as 6h; default 6h)
 */
public record ReportInput(String report, String sinkUrl, String deliverWithin)
    implements ValidatedInput {
  @Override
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (report == null || report.isBlank()) {
      problems.add("input.report must be a non-empty string");
    }
    try {
      URI uri = URI.create(sinkUrl == null ? "" : sinkUrl);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        problems.add("input.sinkUrl must be an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      problems.add("input.sinkUrl must be an http(s) URL");
    }
    if (deliverWithin != null) {
      try {
        io.drainhost.time.Durations.parse(deliverWithin);
      } catch (IllegalArgumentException e) {
        problems.add("input.deliverWithin " + e.getMessage());
      }
    }
    return problems;
  }
}
