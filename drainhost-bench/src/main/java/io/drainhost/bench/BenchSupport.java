package io.drainhost.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.samples.SleepInput;
import io.drainhost.samples.SleepResult;
import io.drainhost.testing.ChildProcess;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Small helpers the benchmarks, the drill and the process-level tests share: ports, the dev server,
 * host environments, workflows, medians.
 */
public final class BenchSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One HTTP/1.1 client for every bench helper: hosts and HAProxy speak HTTP/1.1 only. */
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private BenchSupport() {}

  static String startSleep(WorkflowClient client, String queue, String id, int seconds) {
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            "SleepWorkflow",
            WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(id).build());
    stub.start(new SleepInput(seconds));
    return id;
  }

  /** That workflow's activity attempts running now, as the server describes them. */
  private static java.util.stream.Stream<PendingActivityInfo> running(
      WorkflowClient client, String id) {
    return client
        .newUntypedWorkflowStub(id)
        .describe()
        .getRawDescription()
        .getPendingActivitiesList()
        .stream()
        .filter(a -> a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
  }

  static boolean activityRunning(WorkflowClient client, String id) {
    return running(client, id).findAny().isPresent();
  }

  /** That workflow's running activity attempt, as the server describes it. */
  static PendingActivityInfo runningAttempt(WorkflowClient client, String id) {
    return running(client, id)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no running activity in " + id));
  }

  /** When that attempt started, by the server's clock. */
  static long startedMillis(PendingActivityInfo attempt) {
    return attempt.getLastStartedTime().getSeconds() * 1000
        + attempt.getLastStartedTime().getNanos() / 1_000_000;
  }

  /** When the running attempt of that workflow's activity started, by the server's clock. */
  static long activityStartedMillis(WorkflowClient client, String id) {
    return startedMillis(runningAttempt(client, id));
  }

  static void awaitActivitiesRunning(WorkflowClient client, List<String> ids, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (String id : ids) {
      while (!activityRunning(client, id)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("activity of " + id + " did not start within " + timeout);
        }
        ChildProcess.sleep(Duration.ofMillis(20));
      }
    }
  }

  static SleepResult result(WorkflowClient client, String id) {
    return client.newUntypedWorkflowStub(id).getResult(SleepResult.class);
  }

  static JsonNode getJson(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  /**
   * The smallest attempt number of {@code workflowId}'s activity on that host, or 0 when absent.
   */
  static int inflightAttempt(int port, String workflowId) {
    try {
      for (JsonNode item : getJson(port, "/inflight").path("items")) {
        if (workflowId.equals(item.path("workflowId").asText())
            && "activity".equals(item.path("kind").asText())) {
          return item.path("attempt").asInt();
        }
      }
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  static double median(List<? extends Number> values) {
    List<Double> sorted = new ArrayList<>();
    values.forEach(v -> sorted.add(v.doubleValue()));
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The nearest-rank percentile {@code p} (0 to 100) of {@code values}; NaN when empty. */
  static double percentile(List<? extends Number> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>();
    values.forEach(v -> sorted.add(v.doubleValue()));
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
