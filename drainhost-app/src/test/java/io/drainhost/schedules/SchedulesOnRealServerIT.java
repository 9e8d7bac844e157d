package io.drainhost.schedules;

import static io.drainhost.support.Api.awaitRun;
import static io.drainhost.support.Api.metric;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.support.ReportSink;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import io.drainhost.testing.TemporalServers;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Declared schedules against the real Temporal dev server (the Java test server has no Schedules).
 * What counts is what ran: every schedule starts the report sample, which delivers to a real HTTP
 * sink, so the sink's deliveries are the fires whose workflow actually executed.
 */
class SchedulesOnRealServerIT {
  static final Duration EVERY = Duration.ofSeconds(8);
  static final Duration TOLERANCE = Duration.ofSeconds(4);
  static final Duration HOST_EXIT = Duration.ofSeconds(60);

  static Path dir;
  static TemporalServer server;
  static ReportSink sink;

  @BeforeAll
  static void startServerAndSink() throws IOException {
    TemporalServers.requireAvailable(
        TemporalServer.Kind.TEMPORAL_CLI, SchedulesOnRealServerIT.class);
    dir = Files.createTempDirectory("drainhost-schedules-");
    // Its state in a file: a killed and restarted server still has its schedules.
    server = TemporalServer.startPersistent(dir.resolve("temporal.db"));
    sink = new ReportSink(LocalHosts.freePort()).start();
  }

  @AfterAll
  static void stop() {
    if (sink != null) {
      sink.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void withEveryWorkerDownAcrossThreeFiresEachPolicyRunsWhatItPromisesAndWarnsOncePerFire()
      throws IOException {
    Path file = declarations("w", "workers-down");
    Instant stoppedAt;
    try (ChildProcess first = host("w-first", file, "workers-down")) {
      awaitOnTimeDeliveries("w", Instant.EPOCH);
      first.signal("TERM");
      assertEquals(0, first.awaitExit(HOST_EXIT), first.tail());
      stoppedAt = Instant.now();
    }
    // Restart just after the third missed fire's tolerance: the next fire is then EVERY - TOLERANCE
    // away, time enough for the new host to poll before it.
    Instant third = fires(stoppedAt, stoppedAt.plus(EVERY.multipliedBy(4))).get(2);
    sleepUntil(third.plus(TOLERANCE).plusMillis(300));
    List<Instant> missed = fires(stoppedAt, third);

    try (ChildProcess second = host("w-second", file, "workers-down")) {
      awaitOnTimeDeliveries("w", third);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> missed.stream().allMatch(f -> sink.deliveriesOf(id("w-all", f)) == 1));
      assertPolicies("w", missed);
      int port = second.awaitHttpPort();
      assertMissedFiresShown(port, "w", missed);
      assertOneWarnPerMissedFire(second, "w", missed);
      second.signal("TERM");
      assertEquals(0, second.awaitExit(HOST_EXIT), second.tail());
    }

    // The same host again: the fires it warned about are not warned about twice.
    try (ChildProcess third3 = host("w-third", file, "workers-down")) {
      int port = third3.awaitHttpPort();
      awaitServing(port);
      given().port(port).get("/schedules").then().statusCode(200); // checks now
      for (Instant f : missed) {
        assertEquals(0, count(third3.output(), warnLine("w-skip", f)), third3.tail());
        assertEquals(0, count(third3.output(), warnLine("w-all", f)), third3.tail());
        assertEquals(0, count(third3.output(), warnLine("w-latest", f)), third3.tail());
      }
    }
  }

  @Test
  void withTemporalKilledAcrossThreeFiresEachPolicyRunsWhatItPromises() throws IOException {
    Path file = declarations("t", "temporal-down");
    try (ChildProcess host = host("t-host", file, "temporal-down")) {
      int port = host.awaitHttpPort();
      awaitOnTimeDeliveries("t", Instant.EPOCH);
      server.kill();
      Instant killedAt = Instant.now();
      Instant third = fires(killedAt, killedAt.plus(EVERY.multipliedBy(4))).get(2);
      sleepUntil(third.plus(TOLERANCE).plusMillis(300));
      List<Instant> missed = fires(killedAt, third);
      server.restart();

      awaitOnTimeDeliveries("t", third);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> missed.stream().allMatch(f -> sink.deliveriesOf(id("t-all", f)) == 1));
      assertPolicies("t", missed);
      assertMissedFiresShown(port, "t", missed);
      // The host noticed each miss once, though it checked again and again while Temporal was
      // down and after it came back.
      assertOneWarnPerMissedFire(host, "t", missed);
      assertTrue(host.alive(), "the host served on through the outage");
    }
  }

  @Test
  void threeHostsStartedTogetherLeaveOneSchedulePerIdAndUndeclaredSchedulesAlone()
      throws IOException {
    ScheduleClient schedules = scheduleClient();
    schedules.createSchedule(
        "c-undeclared",
        Schedule.newBuilder()
            .setAction(
                ScheduleActionStartWorkflow.newBuilder()
                    .setWorkflowType("GreetingWorkflow")
                    .setArguments(Map.of("name", "other team"))
                    .setOptions(
                        WorkflowOptions.newBuilder()
                            .setWorkflowId("c-undeclared")
                            .setTaskQueue("nobody-polls-this")
                            .build())
                    .build())
            .setSpec(
                ScheduleSpec.newBuilder()
                    .setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofHours(1))))
                    .build())
            .build(),
        ScheduleOptions.newBuilder().build());
    Path file =
        write(
            "c.json",
            "["
                + declaration("c-a", "skip", "1m")
                + ","
                + declaration("c-b", "catchup_all", "1m")
                + "]");
    List<ChildProcess> hosts = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        hosts.add(launch("c-" + i, file, "converge")); // all three at once
      }
      for (ChildProcess h : hosts) {
        int port = h.awaitHttpPort();
        awaitServing(port);
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    given()
                        .port(port)
                        .get("/schedules")
                        .then()
                        .statusCode(200)
                        .body("schedules.size()", equalTo(2))
                        .body("schedules.state", org.hamcrest.Matchers.everyItem(equalTo("ok"))));
      }
      Map<String, Long> ids =
          schedules
              .listSchedules()
              .map(ScheduleListDescription::getScheduleId)
              .filter(id -> id.startsWith("c-"))
              .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
      assertEquals(Map.of("c-a", 1L, "c-b", 1L, "c-undeclared", 1L), ids);
      String logs = hosts.stream().map(ChildProcess::output).collect(Collectors.joining("\n"));
      assertEquals(1, count(logs, "schedule created: id=c-a "), logs);
      assertEquals(1, count(logs, "schedule created: id=c-b "), logs);
      assertFalse(logs.contains("reconciliation failed"), logs);
      ScheduleSpec undeclared =
          schedules.getHandle("c-undeclared").describe().getSchedule().getSpec();
      assertEquals(Duration.ofHours(1), undeclared.getIntervals().get(0).getEvery());

      // A declared schedule deleted by hand is declared again, not left silently missing.
      schedules.getHandle("c-b").delete();
      int anyPort = hosts.get(0).awaitHttpPort();
      given()
          .port(anyPort)
          .get("/schedules")
          .then()
          .statusCode(200)
          .body("schedules.find { it.id == 'c-b' }.state", equalTo("ok"));
      assertEquals("c-b", schedules.getHandle("c-b").describe().getId());
      assertTrue(
          hosts.stream().anyMatch(h -> h.output().contains("a declared schedule is missing")),
          "a host declared it again");

      // A host with a changed declaration updates the schedule; the others' next connect would too.
      Path changed =
          write(
              "c2.json",
              "["
                  + declaration("c-a", "skip", "2m")
                  + ","
                  + declaration("c-b", "catchup_all", "1m")
                  + "]");
      try (ChildProcess fourth = host("c-changed", changed, "converge")) {
        fourth.awaitLog("schedule updated to its declaration: id=c-a ", Duration.ofSeconds(30));
      }
      assertEquals(
          Duration.ofMinutes(2),
          schedules
              .getHandle("c-a")
              .describe()
              .getSchedule()
              .getSpec()
              .getIntervals()
              .get(0)
              .getEvery());
    } finally {
      hosts.forEach(ChildProcess::close);
    }
  }

  @Test
  void backfillRunsEachPastFireThatNeverRanOnceAndRefusesBadRequests() throws IOException {
    Path file = write("b.json", "[" + declaration("b-1", "skip", "8s") + "]");
    try (ChildProcess host = host("b-host", file, "backfill")) {
      int port = host.awaitHttpPort();
      awaitServing(port);
      Instant created = Instant.now();
      Instant from = created.minusSeconds(40);
      Instant to = created.minusSeconds(1);
      // A fire the schedule itself ran after the host created it (its own action, at least a
      // second before `created`) is no fire that never ran: the backfill rightly leaves it out.
      java.util.Set<Instant> ran =
          scheduleClient().getHandle("b-1").describe().getInfo().getRecentActions().stream()
              .map(a -> a.getScheduledAt())
              .collect(Collectors.toSet());
      List<Instant> past =
          fires(from.minusMillis(1), to).stream().filter(f -> !ran.contains(f)).toList();
      JsonPath first = backfill(port, "b-1", from, to, 202);
      assertEquals(past.size(), first.getInt("fires"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  past.stream().allMatch(f -> sink.deliveriesOf(id("b-1", f) + "-backfill") == 1));
      assertEquals(0, backfill(port, "b-1", from, to, 202).getInt("fires"), "each fire runs once");

      // A fire that ran on time is not run again.
      Instant onTime = awaitOnTimeDelivery("b-1", created);
      sleepUntil(onTime.plusSeconds(1).plusMillis(100)); // a backfill runs past fires only
      assertEquals(
          0,
          backfill(port, "b-1", onTime.minusSeconds(1), onTime.plusSeconds(1), 202)
              .getInt("fires"));
      assertEquals(1, sink.deliveriesOf(id("b-1", onTime)));

      given()
          .port(port)
          .contentType(ContentType.JSON)
          .body("{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-01-01T00:01:00Z\"}")
          .post("/schedules/nope/backfill")
          .then()
          .statusCode(404)
          .body("error", equalTo("not_found"));
      for (String bad :
          List.of(
              "[]",
              "{\"from\":\"yesterday\",\"to\":\"2026-01-01T00:01:00Z\"}",
              "{\"from\":\"2026-01-01T00:01:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}",
              "{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2999-01-01T00:00:00Z\"}",
              "{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-01-01T00:01:00Z\",\"overlap\":1}",
              "{\"from\":\"2000-01-01T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}")) {
        given()
            .port(port)
            .contentType(ContentType.JSON)
            .body(bad)
            .post("/schedules/b-1/backfill")
            .then()
            .statusCode(400)
            .body("error", equalTo("invalid_request"));
      }
    }
  }

  @Test
  void theReportSampleSurvivesASinkThatIsDownAcrossTheFireAndDeliversOnce() throws IOException {
    try (ReportSink downSink = new ReportSink(LocalHosts.freePort())) {
      Path file =
          write(
              "r.json",
              "[{\"id\":\"r-1\",\"workflowType\":\"ReportWorkflow\",\"input\":{\"report\":\"r-1\","
                  + "\"sinkUrl\":\""
                  + downSink.url()
                  + "\"},\"every\":\"8s\",\"misfirePolicy\":\"catchup_all\",\"tolerance\":\"4s\"}]");
      try (ChildProcess host = host("r-host", file, "report")) {
        int port = host.awaitHttpPort();
        awaitServing(port);
        Instant fire = fires(Instant.now(), Instant.now().plus(EVERY.multipliedBy(2))).get(0);
        // Down across the fire, and for some retries after it.
        sleepUntil(fire.plusSeconds(5));
        Instant upAt = Instant.now();
        downSink.start();
        String runId = id("r-1", fire);
        JsonPath run = awaitRun(port, runId);
        assertEquals("COMPLETED", run.getString("status"), run.prettify());
        assertTrue(run.getInt("result.attempts") > 1, "delivery was retried: " + run.prettify());
        assertFalse(
            Instant.parse(run.getString("result.deliveredAt")).isBefore(upAt), run.prettify());
        assertEquals(1, downSink.deliveriesOf(runId), "the report arrived once");

        // A sink that refuses the report (4xx) fails the run at once: permanent, no retries.
        downSink.answer(400);
        Instant next = fires(Instant.now(), Instant.now().plus(EVERY.multipliedBy(2))).get(0);
        String refusedId = id("r-1", next);
        sleepUntil(next.plusSeconds(1)); // its run exists from the fire on
        JsonPath refused = awaitRun(port, refusedId);
        assertEquals("FAILED", refused.getString("status"), refused.prettify());
        assertEquals(1, downSink.requests().stream().filter(refusedId::equals).count());
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    given()
                        .port(port)
                        .get("/schedules")
                        .then()
                        .body("schedules[0].state", equalTo("failing")));
        host.awaitLog(
            "scheduled run failed: schedule=r-1 fire=" + iso(next), Duration.ofSeconds(20));
      }
    }
  }

  // --- the scenario's parts ---

  /** Three schedules, one per misfire policy, that deliver reports to the sink. */
  private static Path declarations(String prefix, String name) throws IOException {
    return write(
        prefix + ".json",
        "["
            + report(prefix + "-skip", "skip")
            + ","
            + report(prefix + "-all", "catchup_all")
            + ","
            + report(prefix + "-latest", "catchup_latest")
            + "]");
  }

  private static String report(String id, String policy) {
    return declaration(id, policy, EVERY.toSeconds() + "s");
  }

  private static String declaration(String id, String policy, String every) {
    return "{\"id\":\""
        + id
        + "\",\"workflowType\":\"ReportWorkflow\",\"input\":{\"report\":\""
        + id
        + "\",\"sinkUrl\":\""
        + sink.url()
        + "\"},\"every\":\""
        + every
        + "\",\"misfirePolicy\":\""
        + policy
        + "\",\"tolerance\":\""
        + TOLERANCE.toSeconds()
        + "s\"}";
  }

  /**
   * skip ran none of the missed fires, catchup_all each once and in fire order, catchup_latest
   * exactly the latest; no fire of any schedule ran twice.
   */
  private static void assertPolicies(String prefix, List<Instant> missed) {
    for (Instant f : missed) {
      assertEquals(0, sink.deliveriesOf(id(prefix + "-skip", f)), "skip ran the missed " + f);
    }
    List<String> allOrder =
        sink.deliveries().stream()
            .map(ReportSink.Delivery::reportId)
            .filter(id -> missed.stream().anyMatch(f -> id.equals(id(prefix + "-all", f))))
            .toList();
    assertEquals(missed.stream().map(f -> id(prefix + "-all", f)).toList(), allOrder);
    Instant latest = missed.get(missed.size() - 1);
    for (Instant f : missed) {
      assertEquals(
          f.equals(latest) ? 1 : 0,
          sink.deliveriesOf(id(prefix + "-latest", f)),
          "catchup_latest and the missed fire " + f + " (latest " + latest + ")");
    }
    Map<String, Long> perReport =
        sink.deliveries().stream()
            .collect(Collectors.groupingBy(ReportSink.Delivery::reportId, Collectors.counting()));
    perReport.forEach((id, n) -> assertEquals(1L, n, "a fire runs at most once: " + id));
  }

  /** Each policy's schedule logged exactly one WARN for each of the missed fires. */
  private static void assertOneWarnPerMissedFire(
      ChildProcess host, String prefix, List<Instant> missed) {
    for (String policy : List.of("skip", "all", "latest")) {
      for (Instant f : missed) {
        assertEquals(
            1,
            count(host.output(), warnLine(prefix + "-" + policy, f)),
            "one WARN for the missed fire "
                + f
                + " of "
                + prefix
                + "-"
                + policy
                + ":\n"
                + host.tail());
      }
    }
  }

  private static void assertMissedFiresShown(int port, String prefix, List<Instant> missed) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonPath body =
                  given().port(port).get("/schedules").then().statusCode(200).extract().jsonPath();
              for (String policy : List.of("skip", "all", "latest")) {
                String id = prefix + "-" + policy;
                int shown = body.getInt("schedules.find { it.id == '" + id + "' }.missedFires");
                // Exactly these: the fires after the outage ran on time (8 s apart, 4 s
                // tolerance), and a missed fire is counted once.
                assertEquals(
                    missed.size(), shown, id + " shows " + shown + " missed: " + body.prettify());
              }
              String metrics = given().port(port).get("/metrics").asString();
              for (String policy : List.of("skip", "all", "latest")) {
                double counted =
                    metric(
                        metrics,
                        "drainhost_schedule_missed_fires_total{schedule=\""
                            + prefix
                            + "-"
                            + policy
                            + "\"}");
                assertEquals((double) missed.size(), counted, metrics);
              }
            });
  }

  /**
   * Waits until every schedule of the prefix delivered the report of a fire after {@code after}.
   */
  private static void awaitOnTimeDeliveries(String prefix, Instant after) {
    for (String policy : List.of("skip", "all", "latest")) {
      awaitOnTimeDelivery(prefix + "-" + policy, after);
    }
  }

  private static Instant awaitOnTimeDelivery(String schedule, Instant notBefore) {
    Instant recent = Instant.now().minus(EVERY.multipliedBy(8));
    Instant after = notBefore.isAfter(recent) ? notBefore : recent;
    return await()
        .atMost(EVERY.multipliedBy(4))
        .until(
            () ->
                fires(after, Instant.now()).stream()
                    .filter(f -> sink.deliveriesOf(id(schedule, f)) > 0)
                    .findFirst()
                    .orElse(null),
            f -> f != null);
  }

  private static ChildProcess host(String name, Path schedules, String queue) {
    ChildProcess p = launch(name, schedules, queue);
    p.awaitHttpPort();
    return p;
  }

  /** Starts a host without waiting for it. */
  private static ChildProcess launch(String name, Path schedules, String queue) {
    return ChildProcess.start(
        name,
        LocalHosts.hostEnv(
            server.port(),
            "schedules-" + queue,
            Map.of(
                "DRAINHOST_SCHEDULES", schedules.toString(), "DRAINHOST_SHUTDOWN_TIMEOUT", "5s")));
  }

  private static void awaitServing(int port) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> given().port(port).get("/health").statusCode() == 200);
  }

  private static JsonPath backfill(int port, String id, Instant from, Instant to, int status) {
    return given()
        .port(port)
        .contentType(ContentType.JSON)
        .body("{\"from\":\"" + iso(from) + "\",\"to\":\"" + iso(to) + "\"}")
        .post("/schedules/" + id + "/backfill")
        .then()
        .statusCode(status)
        .extract()
        .jsonPath();
  }

  private static ScheduleClient scheduleClient() {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(server.address()).build());
    return ScheduleClient.newInstance(stubs, ScheduleClientOptions.newBuilder().build());
  }

  // --- time and text ---

  /** The fire times of an every-{@link #EVERY} schedule in {@code (from, to]}. */
  static List<Instant> fires(Instant from, Instant to) {
    long period = EVERY.toMillis();
    List<Instant> fires = new ArrayList<>();
    for (long t = Math.floorDiv(from.toEpochMilli(), period) * period + period;
        t <= to.toEpochMilli();
        t += period) {
      fires.add(Instant.ofEpochMilli(t));
    }
    return fires;
  }

  /** Waiting for a moment on the clock is what these scenarios are about. */
  static void sleepUntil(Instant t) {
    long ms = Duration.between(Instant.now(), t).toMillis();
    if (ms > 0) {
      ChildProcess.sleep(Duration.ofMillis(ms));
    }
  }

  static String id(String schedule, Instant fire) {
    return schedule + "-" + iso(fire);
  }

  static String iso(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t);
  }

  static String warnLine(String schedule, Instant fire) {
    return "scheduled fire missed: schedule=" + schedule + " fire=" + iso(fire) + " ";
  }

  static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  static Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }
}
