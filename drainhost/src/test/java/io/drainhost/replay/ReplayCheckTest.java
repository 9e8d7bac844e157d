package io.drainhost.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The check on the SDK's Java test server, in this JVM: a history that is not fetched and replayed
 * in time is a fetch_failed entry of an incomplete report, never a refusal or a crash; a running
 * type this build no longer registers is an unknown_type failure.
 */
class ReplayCheckTest {
  @WorkflowInterface
  public interface Waits {
    @WorkflowMethod
    void run();
  }

  /** A replay that takes longer than the whole check may. */
  static Worker slowerThanTheCheck(String taskQueue) {
    try {
      Thread.sleep(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  @Test
  void aRunNotReplayedInTimeMakesTheReportIncompleteNotFailedAndAnUnregisteredTypeFailsIt() {
    try (TestServer.InProcessTestServer server = TestServer.createServer(true)) {
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setChannel(server.getChannel()).build());
      WorkflowClient client = WorkflowClient.newInstance(stubs);
      // No worker polls: the runs stay open, as running work does during a deploy.
      WorkflowOptions onQueue = WorkflowOptions.newBuilder().setTaskQueue("q").build();
      WorkflowClient.start(client.newWorkflowStub(Waits.class, onQueue)::run);
      client.newUntypedWorkflowStub("Retired", onQueue).start();

      ReplayReport slow =
          new ReplayCheck(
                  client,
                  false,
                  Map.of("q", Set.of("Waits")),
                  ReplayCheckTest::slowerThanTheCheck,
                  20,
                  Duration.ofSeconds(1),
                  Optional.empty(),
                  Map.of())
              .run();
      assertEquals(1, slow.checked());
      assertEquals(1, slow.failures(ReplayFailure.Reason.FETCH_FAILED), slow.toString());
      assertEquals(1, slow.failures(ReplayFailure.Reason.UNKNOWN_TYPE), slow.toString());
      assertEquals(ReplayReport.State.FAILED, slow.state(), "the retired type is evidence");
      assertTrue(
          slow.failures().stream()
              .anyMatch(
                  f ->
                      f.reason() == ReplayFailure.Reason.FETCH_FAILED
                          && f.message().startsWith("not fetched and replayed within 1000 ms")),
          slow.toString());
      assertTrue(slow.duration().compareTo(Duration.ofSeconds(4)) < 0, "bounded by the timeout");

      ReplayReport onlySlow =
          new ReplayCheck(
                  client,
                  false,
                  Map.of("q", Set.of("Waits", "Retired")),
                  ReplayCheckTest::slowerThanTheCheck,
                  20,
                  Duration.ofSeconds(1),
                  Optional.empty(),
                  Map.of())
              .run();
      assertEquals(ReplayReport.State.INCOMPLETE, onlySlow.state(), onlySlow.toString());
      stubs.shutdownNow();
    }
  }
}
