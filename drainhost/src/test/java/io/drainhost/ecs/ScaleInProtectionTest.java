package io.drainhost.ecs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.testing.EcsAgentStandIn;
import io.drainhost.time.MovableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scale-in protection against a stand-in of the ECS agent over real HTTP, its checks driven by a
 * clock the test moves: minutes of protection in milliseconds.
 */
class ScaleInProtectionTest {
  private final AtomicBoolean longWork = new AtomicBoolean();
  private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private EcsAgentStandIn agent;
  private ScaleInProtection protection;

  @BeforeEach
  void start() throws Exception {
    agent = new EcsAgentStandIn();
    protection = protection(Duration.ofMinutes(60));
  }

  @AfterEach
  void stop() {
    protection.close();
    agent.close();
  }

  private ScaleInProtection protection(Duration max) {
    return new ScaleInProtection(
        new TaskProtectionAgent(URI.create(agent.uri())), max, longWork::get, clock, metrics);
  }

  @Test
  void protectsWhileLongWorkRunsAndRemovesItWhenItEnds() {
    protection.check();
    assertEquals(0, agent.puts().size(), "nothing asked while no long work runs");
    longWork.set(true);
    protection.check();
    assertTrue(agent.protectedNow());
    assertEquals(ScaleInProtection.State.ON, protection.state());
    assertTrue(
        agent.puts().get(0).body().contains("\"ExpiresInMinutes\":10"), agent.puts().toString());
    assertEquals(1.0, metrics.get("drainhost.scale.in.protection").gauge().value());
    protection.check();
    assertEquals(1, agent.puts().size(), "not asked again before its renewal is due");
    longWork.set(false);
    protection.check();
    assertFalse(agent.protectedNow());
    assertEquals(ScaleInProtection.State.OFF, protection.state());
    assertEquals(0.0, metrics.get("drainhost.scale.in.protection").gauge().value());
  }

  @Test
  void renewsBeforeItExpires() {
    longWork.set(true);
    protection.check();
    clock.advance(Duration.ofMinutes(4).plusSeconds(59));
    protection.check();
    assertEquals(1, agent.puts().size(), "still more than half of its 10 minutes left");
    clock.advance(Duration.ofSeconds(1));
    protection.check();
    assertEquals(2, agent.puts().size(), "renewed at half of its 10 minutes");
    assertTrue(agent.puts().get(1).enabled());
    assertTrue(protection.toJson().get("expiresAt").toString().startsWith("2026-01-01T00:15"));
  }

  @Test
  void neverHoldsItLongerThanTheMaximumInOneStretch() {
    protection.close();
    protection = protection(Duration.ofMinutes(12));
    longWork.set(true);
    protection.check();
    clock.advance(Duration.ofMinutes(5));
    protection.check();
    assertTrue(
        agent.puts().get(1).body().contains("\"ExpiresInMinutes\":7"),
        "the renewal asks only for what is left of the stretch: " + agent.puts());
    clock.advance(Duration.ofMinutes(7));
    protection.check();
    assertFalse(agent.protectedNow(), "removed at the maximum although long work still runs");
    assertEquals(ScaleInProtection.State.CAPPED, protection.state());
    clock.advance(Duration.ofMinutes(5));
    protection.check();
    assertEquals(3, agent.puts().size(), "not taken again while the same long work runs");
    longWork.set(false);
    protection.check();
    longWork.set(true);
    protection.check();
    assertTrue(agent.protectedNow(), "a new stretch once the long work ended");
  }

  @Test
  void aDrainRemovesItAtOnceAndForGood() {
    longWork.set(true);
    protection.check();
    protection.drainStarted();
    await().atMost(Duration.ofSeconds(5)).until(() -> !agent.protectedNow());
    assertEquals(ScaleInProtection.State.RELEASED, protection.state());
    protection.check();
    assertEquals(2, agent.puts().size(), "never asked again once draining");
  }

  @Test
  void anAgentAnswering500IsCountedAndRetriedNeverThrown() {
    agent.answerWith(500);
    longWork.set(true);
    protection.check();
    protection.check();
    assertEquals(ScaleInProtection.State.OFF, protection.state());
    assertEquals(2.0, metrics.get("drainhost.scale.in.protection.errors").counter().count());
    assertTrue(
        protection.toJson().get("lastError").toString().contains("500"),
        protection.toJson().toString());
    agent.answerWith(200);
    protection.check();
    assertEquals(ScaleInProtection.State.ON, protection.state());
    assertFalse(protection.toJson().containsKey("lastError"));
  }

  @Test
  void aHangingAgentCostsOneCheckItsTimeoutNotMore() {
    agent.hangFor(Duration.ofSeconds(30));
    longWork.set(true);
    long t = System.nanoTime();
    protection.check();
    Duration took = Duration.ofNanos(System.nanoTime() - t);
    assertTrue(
        took.compareTo(Duration.ofSeconds(10)) < 0, "bounded by the call's timeouts: " + took);
    assertEquals(ScaleInProtection.State.OFF, protection.state());
    assertEquals(1.0, metrics.get("drainhost.scale.in.protection.errors").counter().count());
  }
}
