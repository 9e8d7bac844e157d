package io.drainhost.bench;

import io.drainhost.samples.BenchmarkInput;
import io.drainhost.samples.SleepInput;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Running histories for the replay gate to replay, made on a task queue by a host of the sample
 * app: BenchmarkWorkflow runs that run their activities one after another (6 events each), then
 * wait an hour on a timer; and, for a breaking build to trip over, SleepWorkflow runs past their
 * first workflow task. Started through Temporal's client (the host's API caps a benchmark's
 * activities for its fuzzers); returns once every run has its whole history.
 */
final class RunningHistories {
  private RunningHistories() {}

  /** A BenchmarkWorkflow history of {@code activities} activities has this many events. */
  static long events(int activities) {
    return 6L * activities + 5;
  }

  /** Activities that make a history of about {@code events} events. */
  static int activitiesFor(int events) {
    return Math.max(0, (events - 5) / 6);
  }

  static void seed(int temporalPort, String queue, int count, int activities, int sleeps) {
    seed(temporalPort, queue, queue, count, activities, sleeps);
  }

  /** As above, the runs' ids starting with {@code prefix}: a second seeding of one queue. */
  static void seed(
      int temporalPort, String queue, String prefix, int count, int activities, int sleeps) {
    try (ChildProcess seeder =
            ChildProcess.start(
                "replay-seed",
                LocalHosts.hostEnv(
                    temporalPort,
                    queue,
                    Map.of(
                        "DRAINHOST_REPLAY_GATE", "off",
                        // Its sleeps go back to Temporal when it leaves, not after 25 s.
                        "DRAINHOST_DRAIN_POLICY", "*=handoff")));
        Client temporal = new Client(temporalPort)) {
      seeder.awaitLog("workers started", Duration.ofSeconds(60));
      WorkflowClient client = temporal.client;
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String id = prefix + "-" + i;
        client
            .newUntypedWorkflowStub("BenchmarkWorkflow", options(queue, id))
            .start(new BenchmarkInput("activities-then-wait", activities, 1));
        ids.add(id);
      }
      for (int i = 0; i < sleeps; i++) {
        client
            .newUntypedWorkflowStub("SleepWorkflow", options(queue, prefix + "-sleep-" + i))
            .start(new SleepInput(600));
      }
      long expected = events(activities);
      // One activity after another: a long history takes a while (10,001 events: about a minute).
      long deadline =
          System.nanoTime() + Duration.ofSeconds(120 + (long) activities * count / 20).toNanos();
      for (String id : ids) {
        long length;
        do {
          length =
              client
                  .newUntypedWorkflowStub(id)
                  .describe()
                  .getRawDescription()
                  .getWorkflowExecutionInfo()
                  .getHistoryLength();
          if (length < expected) {
            ChildProcess.sleep(Duration.ofMillis(200));
          }
        } while (length < expected && System.nanoTime() < deadline);
        if (length < expected) {
          throw new IllegalStateException(id + " reached only " + length + " events");
        }
      }
      seeder.signal("TERM");
      seeder.awaitExit(Duration.ofSeconds(30));
    }
  }

  private static WorkflowOptions options(String queue, String id) {
    return WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(id).build();
  }

  /** Temporal's client for the seeding, closed with it. */
  private static final class Client implements AutoCloseable {
    final WorkflowServiceStubs stubs;
    final WorkflowClient client;

    Client(int port) {
      stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
      client = WorkflowClient.newInstance(stubs);
    }

    @Override
    public void close() {
      stubs.shutdownNow();
    }
  }
}
