package io.drainhost.ecs;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drainhost.DrainHost;
import io.drainhost.lifecycle.HostState;
import io.drainhost.support.Api;
import io.drainhost.support.InProcessHost;
import io.drainhost.testing.TaskMetadataStandIn;
import io.drainhost.testing.TemporalServer;
import io.drainhost.testing.TemporalServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The early-drain signals of an ECS deployment, against the real host over real HTTP and a Temporal
 * server of the kind the subclass names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.Tag(io.drainhost.support.Timing.TAG)
abstract class EcsSignalsSuite {
  TemporalServer server;

  abstract TemporalServer.Kind kind();

  @BeforeAll
  void startTemporal() {
    server = TemporalServers.start(kind(), getClass());
  }

  @AfterAll
  void stopTemporal() {
    if (server != null) {
      server.stop();
      server.close();
    }
  }

  DrainHost startHost(Map<String, String> env) {
    Map<String, String> withServer = new java.util.HashMap<>(env);
    withServer.put("TEMPORAL_ADDRESS", server.address());
    DrainHost host = InProcessHost.start(withServer);
    // Against a server, the workers poll once the replay gate has run (off the starting thread).
    await("the workers poll")
        .atMost(Duration.ofSeconds(30))
        .until(() -> "active".equals(polling(host.port())));
    return host;
  }

  @Test
  void desiredStatusStoppedStartsTheDrainBeforeAnySignal() throws Exception {
    try (TaskMetadataStandIn ecs = new TaskMetadataStandIn()) {
      DrainHost host =
          startHost(
              Map.of(
                  "ECS_CONTAINER_METADATA_URI_V4",
                  ecs.uri(),
                  "DRAINHOST_ECS_METADATA_POLL",
                  "100ms",
                  "DRAINHOST_TASK_QUEUE",
                  "ecs-" + UUID.randomUUID()));
      await().atMost(Duration.ofSeconds(10)).until(() -> ecs.taskReads() >= 5);
      assertEquals(HostState.SERVING, host.state(), "RUNNING keeps serving");

      ecs.answerWith(500); // an agent hiccup is not a stop
      int before = ecs.taskReads();
      await().atMost(Duration.ofSeconds(10)).until(() -> ecs.taskReads() >= before + 5);
      assertEquals(HostState.SERVING, host.state());

      ecs.answerWith(200);
      ecs.desiredStatus("STOPPED");
      await("drain starts")
          .atMost(Duration.ofSeconds(5))
          .until(() -> host.state() != HostState.SERVING);
      assertEquals(0, host.awaitExit());
      assertEquals(HostState.STOPPED, host.state());
    }
  }

  static String polling(int port) {
    return given()
        .port(port)
        .header("User-Agent", "curl/8.5.0")
        .get("/health")
        .then()
        .extract()
        .path("polling");
  }

  @Test
  void loadBalancerSilenceSuspendsPollingAndReturningChecksResumeIt() throws Exception {
    DrainHost host =
        startHost(
            Map.of(
                "DRAINHOST_LB_SILENCE_AFTER",
                "1s",
                "DRAINHOST_TASK_QUEUE",
                "lb-" + UUID.randomUUID()));
    int port = host.port();
    try {
      // Checks from anything but the ALB never arm the detector.
      long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
      while (System.nanoTime() < until) {
        assertEquals("active", polling(port));
        Thread.sleep(200);
      }
      for (int i = 0; i < 5; i++) {
        Api.elbCheck(port);
        Thread.sleep(200);
      }
      assertEquals("active", polling(port));

      await("polling suspended after the silence")
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> "suspended".equals(polling(port)));
      given()
          .port(port)
          .get("/metrics")
          .then()
          .body(containsString("drainhost_polling_suspended 1.0"));
      given().port(port).get("/health").then().statusCode(200).body("status", equalTo("serving"));

      // Nothing reaches a suspended host, not even through the long polls it had outstanding.
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ids.add(
            given()
                .port(port)
                .contentType("application/json")
                .body("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":1}}")
                .post("/executions")
                .then()
                .statusCode(201)
                .extract()
                .path("workflowId"));
      }
      long quietUntil = System.nanoTime() + Duration.ofSeconds(6).toNanos();
      while (System.nanoTime() < quietUntil) {
        given().port(port).get("/inflight").then().statusCode(200).body("count", equalTo(0));
        Thread.sleep(100);
      }
      for (String id : ids) {
        given().port(port).get("/executions/" + id).then().body("status", equalTo("RUNNING"));
      }

      // The ALB checks again (the target was re-registered): polling resumes while they last.
      Api.elbCheck(port);
      await("polling resumes")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> "active".equals(polling(port)));
      // A failed check inside the checker thread fails the test after it ends, not silently.
      AtomicReference<Throwable> checkFailed = new AtomicReference<>();
      Thread checker =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  try {
                    Api.elbCheck(port);
                    Thread.sleep(200);
                  } catch (InterruptedException e) {
                    return;
                  } catch (Throwable t) {
                    checkFailed.compareAndSet(null, t);
                    return;
                  }
                }
              });
      checker.start();
      try {
        for (String id : ids) {
          await(id)
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () ->
                      "COMPLETED"
                          .equals(given().port(port).get("/executions/" + id).path("status")));
        }
      } finally {
        checker.interrupt();
        checker.join();
      }
      if (checkFailed.get() != null) {
        throw new AssertionError("an ALB health check failed while polling", checkFailed.get());
      }
    } finally {
      host.drain("test");
      assertEquals(0, host.awaitExit());
    }
  }
}
