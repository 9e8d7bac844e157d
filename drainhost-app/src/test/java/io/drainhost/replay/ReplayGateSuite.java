package io.drainhost.replay;

import static io.drainhost.support.Hosts.awaitPolling;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.support.Api;
import io.drainhost.support.HealthSampler;
import io.drainhost.support.Histories;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.DelayingProxy;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import io.drainhost.testing.TemporalServers;
import io.restassured.path.json.JsonPath;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The replay gate, process by process: v1 hosts hold running SleepWorkflow runs; a build whose
 * change breaks them never polls and exits 4, a build with the same change behind getVersion takes
 * over, and no history ever records a failed workflow task.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReplayGateSuite {
  static final int RUNS = 30;
  static final int SLEEP_SECONDS = 60;

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

  Map<String, String> env(String queue, String variant, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("DRAINHOST_SAMPLES_VARIANT", variant);
    env.put("DRAINHOST_SHUTDOWN_TIMEOUT", "3s");
    env.put("DRAINHOST_STOP_TIMEOUT", "8s");
    return LocalHosts.hostEnv(server.port(), queue, env);
  }

  static List<String> startSleeps(int port, String prefix, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = prefix + "-" + i;
      Api.start(
              port,
              "{\"workflowType\":\"SleepWorkflow\",\"workflowId\":\""
                  + id
                  + "\",\"input\":{\"seconds\":"
                  + SLEEP_SECONDS
                  + "}}")
          .then()
          .statusCode(201);
      ids.add(id);
    }
    return ids;
  }

  /** Runs {@code replay-check} of the jar with this variant; returns its exit code and output. */
  ChildProcess replayCheck(String queue, String variant) {
    Map<String, String> env = new HashMap<>();
    env.put("DRAINHOST_SAMPLES_VARIANT", variant);
    return ChildProcess.start(
        "replay-check-" + variant,
        env,
        "replay-check",
        "--address",
        "127.0.0.1:" + server.port(),
        "--task-queue",
        queue);
  }

  static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void aBuildThatCannotReplayRunningWorkNeverPollsAndExits4AndThePatchedBuildTakesOver()
      throws Exception {
    String queue = "replay-" + UUID.randomUUID();
    try (ChildProcess v1 = ChildProcess.start("v1", env(queue, "v1", Map.of()));
        Histories histories = new Histories(server.address())) {
      int v1Port = awaitPolling(v1);
      List<String> runs = startSleeps(v1Port, queue, RUNS);
      // Each run is past its first workflow task: its history has the activity, v2-breaking's code
      // would make a timer first.
      await("every run's activity runs on v1")
          .atMost(Duration.ofSeconds(60))
          .until(() -> Api.activitiesInFlight(v1Port) == RUNS);

      try (ChildProcess breaking = replayCheck(queue, "v2-breaking");
          ChildProcess patched = replayCheck(queue, "v2-patched")) {
        assertEquals(4, breaking.awaitExit(Duration.ofSeconds(90)), breaking.tail());
        assertTrue(breaking.output().contains("replay check: failed"), breaking.tail());
        // The default sample: the 20 newest runs of the type.
        assertEquals(
            20, count(breaking.output(), "SleepWorkflow +nondeterminism"), breaking.tail());
        assertEquals(0, patched.awaitExit(Duration.ofSeconds(90)), patched.tail());
        assertTrue(patched.output().contains("replay check: passed"), patched.tail());
      }

      long gateStart = System.nanoTime();
      try (ChildProcess refused =
          ChildProcess.start(
              "v2-breaking",
              env(queue, "v2-breaking", Map.of("DRAINHOST_REPLAY_SAMPLE", String.valueOf(RUNS))))) {
        assertEquals(4, refused.awaitExit(Duration.ofSeconds(90)), refused.tail());
        Duration took = Duration.ofNanos(System.nanoTime() - gateStart);
        String out = refused.output();
        assertFalse(out.contains("workers started"), "a refused build never polls: " + out);
        assertTrue(out.contains("replay report: state=failed checked=" + RUNS), out);
        for (String id : runs) {
          assertEquals(
              1,
              count(
                  out,
                  "replay failure: workflowId="
                      + id
                      + " runId=\\S+ type=SleepWorkflow"
                      + " reason=nondeterminism message=\\S"),
              "one line names " + id);
        }
        assertFalse(out.contains("\tat "), "no stack trace in the log");
        System.out.printf(
            "replay gate (%s): v2-breaking refused %d runs and exited 4 %d ms after its start%n",
            kind(), RUNS, took.toMillis());
      }

      try (ChildProcess takesOver =
          ChildProcess.start("v2-patched", env(queue, "v2-patched", Map.of()))) {
        int port = awaitPolling(takesOver);
        JsonPath replay =
            given().port(port).get("/replay").then().statusCode(200).extract().jsonPath();
        assertEquals("passed", replay.getString("state"), replay.prettify());
        assertEquals(20, replay.getInt("checked"));
        assertEquals(
            "passed",
            given().port(port).get("/health").then().statusCode(200).extract().path("replay"));
        // v1 leaves: its activities go back to Temporal and resume on the patched build.
        v1.signal("TERM");
        assertEquals(0, v1.awaitExit(Duration.ofSeconds(30)), v1.tail());
        for (String id : runs) {
          JsonPath run =
              await(id + " completes")
                  .atMost(Duration.ofSeconds(SLEEP_SECONDS + 60))
                  .pollInterval(Duration.ofMillis(500))
                  .until(
                      () -> given().port(port).get("/executions/" + id).then().extract().jsonPath(),
                      r -> !"RUNNING".equals(r.getString("status")));
          assertEquals("COMPLETED", run.getString("status"), run.prettify());
        }
        for (String id : runs) {
          List<HistoryEvent> events = histories.events(id);
          assertEquals(
              0,
              events.stream()
                  .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
                  .count(),
              id + " has no failed workflow task");
        }
        takesOver.signal("TERM");
        assertEquals(0, takesOver.awaitExit(Duration.ofSeconds(30)), takesOver.tail());
      }
    }
  }

  @Test
  void readinessWaitsForTheGatesVerdictAndARefusedBuildNeverAnswers200() {
    String queue = "replay-ready-" + UUID.randomUUID();
    try (ChildProcess v1 = ChildProcess.start("v1-ready", env(queue, "v1", Map.of()));
        // Temporal 100 ms away each way: the gate takes long enough to be seen deciding.
        DelayingProxy far = DelayingProxy.start(server.port(), Duration.ofMillis(100))) {
      int v1Port = awaitPolling(v1);
      startSleeps(v1Port, queue, 10);
      await().atMost(Duration.ofSeconds(60)).until(() -> Api.activitiesInFlight(v1Port) == 10);

      List<HealthSampler.Sample> passing = sampleFromStart(far, queue, "v1", 0);
      List<HealthSampler.Sample> refused = sampleFromStart(far, queue, "v2-breaking", 4);
      for (List<HealthSampler.Sample> samples : List.of(passing, refused)) {
        assertFalse(samples.isEmpty(), "the host answered");
        assertTrue(
            samples.stream().allMatch(x -> x.liveness() == 200),
            "liveness is 200 whenever the host answers, the gate included: " + samples);
        assertTrue(
            samples.stream()
                .filter(x -> "running".equals(x.replay()))
                .allMatch(x -> x.readiness() == 503 && "starting".equals(x.status())),
            "503 starting while the gate decides: " + samples);
        assertTrue(
            samples.stream().filter(x -> "running".equals(x.replay())).count() >= 2,
            "the gate was seen deciding: " + samples);
      }
      assertTrue(
          passing.stream()
              .filter(x -> x.readiness() == 200)
              .allMatch(x -> "passed".equals(x.replay())),
          "ready only after the verdict: " + passing);
      assertTrue(passing.stream().anyMatch(x -> x.readiness() == 200), "then ready: " + passing);
      assertTrue(
          refused.stream().noneMatch(x -> x.readiness() == 200),
          "a refused build never answers 200: " + refused);
      v1.signal("TERM");
      assertEquals(0, v1.awaitExit(Duration.ofSeconds(30)), v1.tail());
    }
  }

  /**
   * Starts a host of {@code variant} behind {@code far}, sampling its health every 100 ms from
   * before its process starts; stops a host that polls once it is ready. Returns the samples in
   * which it answered.
   */
  private List<HealthSampler.Sample> sampleFromStart(
      DelayingProxy far, String queue, String variant, int exitCode) {
    int port = LocalHosts.freePort();
    Map<String, String> env = new HashMap<>(env(queue, variant, Map.of()));
    env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + far.port());
    env.put("DRAINHOST_PORT", Integer.toString(port));
    try (HealthSampler sampler = HealthSampler.start(port);
        ChildProcess host = ChildProcess.start(variant + "-sampled", env)) {
      if (exitCode == 0) {
        awaitPolling(host);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> sampler.answered().stream().anyMatch(x -> x.readiness() == 200));
        host.signal("TERM");
      }
      assertEquals(exitCode, host.awaitExit(Duration.ofSeconds(90)), host.tail());
      return sampler.answered();
    }
  }

  @Test
  void inWarnModeTheFailuresAreReportedAndTheHostPollsAnyway() {
    String queue = "replay-warn-" + UUID.randomUUID();
    try (ChildProcess v1 = ChildProcess.start("v1-warn", env(queue, "v1", Map.of()))) {
      int v1Port = awaitPolling(v1);
      startSleeps(v1Port, queue, 3);
      await().atMost(Duration.ofSeconds(60)).until(() -> Api.activitiesInFlight(v1Port) == 3);
      try (ChildProcess warn =
          ChildProcess.start(
              "v2-warn", env(queue, "v2-breaking", Map.of("DRAINHOST_REPLAY_GATE", "warn")))) {
        int port = awaitPolling(warn);
        JsonPath replay =
            given().port(port).get("/replay").then().statusCode(200).extract().jsonPath();
        assertEquals("failed", replay.getString("state"), replay.prettify());
        assertEquals("warn", replay.getString("mode"));
        assertEquals(3, replay.getList("failures").size());
        assertEquals(
            List.of("nondeterminism"),
            replay.getList("failures.reason").stream().distinct().toList());
        given().port(port).get("/health").then().statusCode(200);
        String scrape = given().port(port).get("/metrics").then().extract().asString();
        assertEquals(
            3.0,
            Api.metric(scrape, "drainhost_replay_failures_total{reason=\"nondeterminism\"}"),
            scrape);
        assertEquals(3.0, Api.metric(scrape, "drainhost_replay_checked_total"), scrape);
        warn.signal("TERM");
        assertEquals(0, warn.awaitExit(Duration.ofSeconds(30)), warn.tail());
      }
      v1.signal("TERM");
      v1.awaitExit(Duration.ofSeconds(30));
    }
  }
}
