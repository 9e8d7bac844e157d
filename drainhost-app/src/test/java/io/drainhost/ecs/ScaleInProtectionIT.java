package io.drainhost.ecs;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.support.Api;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.EcsAgentStandIn;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The real jar with task scale-in protection on, against a stand-in of the ECS agent: protected
 * while an attempt runs that a drain would hand off, not for one that fits, unprotected at once
 * when SIGTERM arrives; an agent that fails or hangs changes nothing else.
 */
@org.junit.jupiter.api.Tag(io.drainhost.support.Timing.TAG)
class ScaleInProtectionIT {
  private static Map<String, String> env(EcsAgentStandIn agent) {
    Map<String, String> env = new HashMap<>();
    env.put("DRAINHOST_PORT", "0");
    env.put("DRAINHOST_BIND", "127.0.0.1");
    env.put("DRAINHOST_TASK_QUEUE", "protect-" + UUID.randomUUID());
    env.put("DRAINHOST_SCALE_IN_PROTECTION", "long-work");
    env.put("ECS_AGENT_URI", agent.uri());
    // Sleeps are long work (handed off when a drain starts); greetings fit any drain.
    env.put("DRAINHOST_DRAIN_POLICY", "Sleep=handoff,*=finish");
    env.put("DRAINHOST_SHUTDOWN_TIMEOUT", "5s");
    env.put("DRAINHOST_STOP_TIMEOUT", "10s");
    return env;
  }

  private static void startSleep(int port, int seconds) {
    Api.start(port, "{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":" + seconds + "}}")
        .then()
        .statusCode(201);
  }

  private static JsonPath health(int port) {
    return given().port(port).get("/health").then().extract().jsonPath();
  }

  @Test
  void protectedWhileLongWorkRunsAndReleasedTheMomentTheDrainStarts() throws Exception {
    try (EcsAgentStandIn agent = new EcsAgentStandIn();
        ChildProcess host = ChildProcess.start("protected", env(agent))) {
      int port = host.awaitHttpPort();
      host.awaitLog("workers started", Duration.ofSeconds(60));
      assertEquals("off", health(port).getString("scaleInProtection.state"));
      Api.awaitRun(
          port, Api.start(port, Api.GREET_ADA).then().statusCode(201).extract().path("workflowId"));
      assertTrue(agent.puts().isEmpty(), "a greeting fits a drain: " + agent.puts());

      startSleep(port, 60);
      await("protection asked for").atMost(Duration.ofSeconds(10)).until(agent::protectedNow);
      assertTrue(
          agent.puts().get(0).body().contains("\"ExpiresInMinutes\":10"), agent.puts().toString());
      JsonPath h = health(port);
      assertEquals("on", h.getString("scaleInProtection.state"));
      assertTrue(h.getString("scaleInProtection.expiresAt") != null, h.prettify());
      String scrape = given().port(port).get("/metrics").asString();
      assertEquals(1.0, Api.metric(scrape, "drainhost_scale_in_protection"), scrape);

      int putsBefore = agent.puts().size();
      long sigterm = System.nanoTime();
      host.signal("TERM");
      await("protection removed at drain start")
          .atMost(Duration.ofSeconds(3))
          .until(() -> agent.puts().size() > putsBefore && !agent.protectedNow());
      Duration released = Duration.ofNanos(System.nanoTime() - sigterm);
      assertEquals(0, host.awaitExit(Duration.ofSeconds(15)), host.tail());
      assertTrue(host.output().contains("handedOff=1 "), host.tail());
      System.out.printf("scale-in protection removed %d ms after SIGTERM%n", released.toMillis());
    }
  }

  @Test
  void protectionEndsWhenTheLongWorkEnds() throws Exception {
    try (EcsAgentStandIn agent = new EcsAgentStandIn();
        ChildProcess host = ChildProcess.start("protected-short", env(agent))) {
      int port = host.awaitHttpPort();
      host.awaitLog("workers started", Duration.ofSeconds(60));
      startSleep(port, 3);
      await().atMost(Duration.ofSeconds(10)).until(agent::protectedNow);
      await("released when the sleep completed")
          .atMost(Duration.ofSeconds(15))
          .until(() -> !agent.protectedNow());
      List<EcsAgentStandIn.Put> puts = agent.puts();
      assertEquals(2, puts.size(), puts.toString());
      assertEquals("off", health(port).getString("scaleInProtection.state"));
      host.signal("TERM");
      assertEquals(0, host.awaitExit(Duration.ofSeconds(15)), host.tail());
      assertEquals(2, agent.puts().size(), "nothing to remove at the drain: " + agent.puts());
    }
  }

  @Test
  void anAgentThatAnswers500OrHangsChangesNothingElse() throws Exception {
    for (String failure : List.of("500", "hang")) {
      try (EcsAgentStandIn agent = new EcsAgentStandIn();
          ChildProcess host = ChildProcess.start("agent-" + failure, env(agent))) {
        if (failure.equals("500")) {
          agent.answerWith(500);
        } else {
          agent.hangFor(Duration.ofSeconds(60));
        }
        int port = host.awaitHttpPort();
        host.awaitLog("workers started", Duration.ofSeconds(60));
        startSleep(port, 60);
        await("two failed calls, each retried at the next check")
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    Api.metric(
                            given().port(port).get("/metrics").asString(),
                            "drainhost_scale_in_protection_errors_total")
                        >= 2);
        JsonPath h = health(port);
        assertEquals(200, given().port(port).get("/health").statusCode(), h.prettify());
        assertEquals("off", h.getString("scaleInProtection.state"), h.prettify());
        assertFalse(h.getString("scaleInProtection.lastError").isEmpty(), h.prettify());
        long sigterm = System.nanoTime();
        host.signal("TERM");
        assertEquals(0, host.awaitExit(Duration.ofSeconds(15)), host.tail());
        Duration exit = Duration.ofNanos(System.nanoTime() - sigterm);
        assertTrue(host.output().contains("handedOff=1 "), host.tail());
        assertTrue(exit.compareTo(Duration.ofSeconds(5)) < 0, failure + ": exit took " + exit);
      }
    }
  }
}
