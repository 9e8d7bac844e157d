package io.drainhost.backlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.config.Versioning;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One CloudWatch Embedded Metric Format record of a task queue's backlog: a JSON line that the
 * awslogs driver sends to CloudWatch Logs, where it becomes metrics with no agent. Namespace
 * {@value #NAMESPACE}, dimensions {@code TaskQueue} and {@code Kind}, and for a versioned host also
 * {@code Deployment} and {@code BuildId}: its version's own share, which its service scales on.
 */
public final class EmfLine {
  public static final String NAMESPACE = "drainhost";
  public static final String BACKLOG = "Backlog";
  public static final String BACKLOG_AGE = "BacklogAgeSeconds";
  public static final String ADD_RATE = "TasksAddRate";
  public static final String DISPATCH_RATE = "TasksDispatchRate";
  public static final String DEPLOYMENT = "Deployment";
  public static final String BUILD_ID = "BuildId";

  private static final ObjectMapper JSON = new ObjectMapper();

  private EmfLine() {}

  public static String of(QueueStats s, Optional<Versioning.Version> version, Instant at) {
    Map<String, Object> metricsDirective = new LinkedHashMap<>();
    metricsDirective.put("Namespace", NAMESPACE);
    metricsDirective.put(
        "Dimensions",
        List.of(
            version.isPresent()
                ? List.of("TaskQueue", "Kind", DEPLOYMENT, BUILD_ID)
                : List.of("TaskQueue", "Kind")));
    metricsDirective.put(
        "Metrics",
        List.of(
            metric(BACKLOG, "Count"),
            metric(BACKLOG_AGE, "Seconds"),
            metric(ADD_RATE, "Count/Second"),
            metric(DISPATCH_RATE, "Count/Second")));
    Map<String, Object> aws = new LinkedHashMap<>();
    aws.put("Timestamp", at.toEpochMilli());
    aws.put("CloudWatchMetrics", List.of(metricsDirective));
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("_aws", aws);
    line.put("TaskQueue", s.taskQueue());
    line.put("Kind", s.kind());
    version.ifPresent(
        v -> {
          line.put(DEPLOYMENT, v.deploymentName());
          line.put(BUILD_ID, v.buildId());
        });
    line.put(BACKLOG, s.backlog());
    line.put(BACKLOG_AGE, s.backlogAgeSeconds());
    line.put(ADD_RATE, s.addRate());
    line.put(DISPATCH_RATE, s.dispatchRate());
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> metric(String name, String unit) {
    return Map.of("Name", name, "Unit", unit);
  }
}
