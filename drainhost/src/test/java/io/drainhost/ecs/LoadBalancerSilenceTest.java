package io.drainhost.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.ecs.LoadBalancerSilence.Action;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoadBalancerSilenceTest {
  final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
  final LoadBalancerSilence silence = new LoadBalancerSilence(Duration.ofSeconds(75));

  @Test
  void neverSuspendsBeforeTheLoadBalancerWasSeen() {
    assertEquals(Action.NONE, silence.evaluate(t0.plus(Duration.ofDays(1))));
    assertFalse(silence.suspended());
  }

  @Test
  void suspendsOnceAfterTheSilenceAndResumesWhenChecksReturn() {
    assertEquals(Action.NONE, silence.checkSeen(t0));
    assertEquals(Action.NONE, silence.evaluate(t0.plusSeconds(75)));
    assertEquals(Action.SUSPEND, silence.evaluate(t0.plusSeconds(76)));
    assertTrue(silence.suspended());
    assertEquals(Action.NONE, silence.evaluate(t0.plusSeconds(200)), "suspends once");
    assertEquals(Action.RESUME, silence.checkSeen(t0.plusSeconds(201)));
    assertFalse(silence.suspended());
    assertEquals(Action.NONE, silence.checkSeen(t0.plusSeconds(202)));
    assertEquals(Action.NONE, silence.evaluate(t0.plusSeconds(250)));
    assertEquals(Action.SUSPEND, silence.evaluate(t0.plusSeconds(278)));
  }

  @Test
  void onlyTheAlbUserAgentCounts() {
    assertTrue(LoadBalancerSilence.isLoadBalancerCheck("ELB-HealthChecker/2.0"));
    assertFalse(LoadBalancerSilence.isLoadBalancerCheck("curl/8.5.0"));
    assertFalse(LoadBalancerSilence.isLoadBalancerCheck("kube-probe/1.29"));
    assertFalse(LoadBalancerSilence.isLoadBalancerCheck(null));
  }
}
