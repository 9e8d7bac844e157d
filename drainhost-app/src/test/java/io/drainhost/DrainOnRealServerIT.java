package io.drainhost;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.support.Api;
import io.drainhost.support.Histories;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.TemporalServer;
import io.restassured.RestAssured;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The drain suite against a real Temporal server, sticky execution on (the production default), and
 * what only a real server shows: a drained host's cached workflows move on at once.
 */
class DrainOnRealServerIT extends DrainSuite {
  @Override
  TemporalServer.Kind kind() {
    return TemporalServer.Kind.TEMPORAL_CLI;
  }

  static String startTimer(int port, String id, long millis) {
    return post(
            port,
            "{\"workflowType\":\"BenchmarkWorkflow\",\"workflowId\":\""
                + id
                + "\",\"input\":{\"pattern\":\"timer\",\"millis\":"
                + millis
                + "}}")
        .then()
        .statusCode(201)
        .extract()
        .path("workflowId");
  }

  /** From the timer firing to the workflow's completion, and who ran the task in between. */
  record Resumed(Duration afterDue, String worker) {}

  static Resumed resumed(Histories histories, String workflowId) {
    List<HistoryEvent> events = histories.events(workflowId);
    Instant fired = Histories.firstTime(events, EventType.EVENT_TYPE_TIMER_FIRED);
    Instant completed =
        Histories.firstTime(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    assertNotNull(fired, workflowId + " fired its timer");
    assertNotNull(completed, workflowId + " completed");
    String worker =
        events.stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)
            .reduce((first, second) -> second)
            .orElseThrow()
            .getWorkflowTaskStartedEventAttributes()
            .getIdentity();
    return new Resumed(Duration.between(fired, completed), worker);
  }

  @Test
  void workflowsCachedOnADrainingOrGoneHostAreCompletedByThePeerAtOnce() throws Exception {
    String queue = "sticky-" + UUID.randomUUID();
    long firstDue = 20_000;
    try (ChildProcess a = ChildProcess.start("host-a", hostEnv(queue, "8s", "12s", "3s"));
        Histories histories = new Histories(server.address())) {
      int portA = awaitReady(a);
      assertTrue(a.output().contains("stickyExecution=true"), "sticky execution on: " + a.tail());
      String hostA = RestAssured.given().get(url(portA, "/inflight")).path("host");
      // A alone on the queue: it runs the first workflow task of each, so each is cached on A.
      long t0 = System.nanoTime();
      String duringDrain = startTimer(portA, "due-while-draining-" + queue, firstDue);
      String afterExit = startTimer(portA, "due-after-exit-" + queue, firstDue + 10_000);
      String keepsDraining = sleep(portA, "long-" + queue, 30);
      await("A runs the long activity")
          .atMost(Duration.ofSeconds(20))
          .until(() -> Api.activitiesInFlight(portA) == 1);
      for (String id : List.of(duringDrain, afterExit)) {
        await(id + " waits on its timer")
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    Histories.firstTime(histories.events(id), EventType.EVENT_TYPE_TIMER_STARTED)
                        != null);
        assertEquals(java.util.Set.of(hostA), histories.workers(id), "first task ran on A");
      }

      try (ChildProcess b = ChildProcess.start("host-b", hostEnv(queue, "8s", "12s", "3s"))) {
        int portB = awaitReady(b);
        String hostB = RestAssured.given().get(url(portB, "/inflight")).path("host");
        // SIGTERM 4 s before the first timer: it comes due while A drains (8 s); the second one
        // 6 s after A's deadline, when A is gone.
        long sigtermAt = t0 + Duration.ofMillis(firstDue - 4000).toNanos();
        assertTrue(System.nanoTime() < sigtermAt, "B was ready in time for the scenario");
        ChildProcess.sleep(Duration.ofNanos(sigtermAt - System.nanoTime()));
        a.signal("TERM");
        assertEquals(0, a.awaitExit(Duration.ofSeconds(20)), a.tail());

        awaitClosed(portB, duringDrain, Duration.ofSeconds(30));
        awaitClosed(portB, afterExit, Duration.ofSeconds(30));
        Resumed whileDraining = resumed(histories, duringDrain);
        Resumed whenGone = resumed(histories, afterExit);
        System.out.printf(
            "sticky on, real server: a workflow cached on A completed on B %d ms after its timer fired"
                + " while A drained, %d ms after it fired once A was gone%n",
            whileDraining.afterDue().toMillis(), whenGone.afterDue().toMillis());
        assertEquals(hostB, whileDraining.worker(), "B ran the task due while A drained");
        assertEquals(hostB, whenGone.worker(), "B ran the task due after A exited");
        // Without the sticky queue's release this takes the 5 s sticky schedule-to-start timeout.
        assertTrue(
            whileDraining.afterDue().compareTo(Duration.ofSeconds(3)) <= 0,
            whileDraining.toString());
        assertTrue(whenGone.afterDue().compareTo(Duration.ofSeconds(3)) <= 0, whenGone.toString());
        awaitCompleted(portB, keepsDraining, Duration.ofSeconds(60));
        b.signal("TERM");
        assertEquals(0, b.awaitExit(Duration.ofSeconds(20)), b.tail());
      }
    }
  }
}
