package io.drainhost.deploy.plan;

import static io.drainhost.deploy.plan.States.release;
import static io.drainhost.deploy.plan.States.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.deploy.plan.Observed.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A service goes to 0 or is deleted only when Temporal says its version is idle, or proves it a
 * release that never polled: each rule from fixtures, for sunset and for a failed release alike.
 */
class IdleTest {
  static final Idle.Rule SUNSET = Idle.Rule.sunset(Duration.ofMinutes(15));

  static States v3Current() {
    return state()
        .current("v3", Duration.ofDays(3))
        .version("v3", Status.CURRENT, true)
        .service("v3", 3, Duration.ofDays(3), true);
  }

  static Optional<String> idle(States s, String buildId, Idle.Rule rule) {
    return Idle.whyNot(s.observed(), buildId, rule);
  }

  @Test
  void theCurrentTheRampingAndADrainingVersionAreNeverIdle() {
    States s =
        v3Current()
            .ramping("v4", 10, Duration.ofMinutes(1))
            .version("v4", Status.RAMPING, false)
            .version("v2", Status.DRAINING, true);
    assertEquals(Optional.of("current"), idle(s, "v3", SUNSET));
    assertEquals(Optional.of("ramping"), idle(s, "v4", SUNSET));
    assertTrue(idle(s, "v2", SUNSET).orElseThrow().startsWith("draining"));
  }

  @Test
  void aVersionWithOpenPinnedRunsIsNotIdle() {
    States s =
        v3Current().version("v1", Status.DRAINED, true, States.QUEUES, true, 2, Optional.empty());
    assertEquals(Optional.of("2 open pinned runs"), idle(s, "v1", SUNSET));
  }

  @Test
  void aDrainedVersionWithNoPinnedRunsIsIdle() {
    States s =
        v3Current()
            .version(
                "v1",
                Status.DRAINED,
                true,
                States.QUEUES,
                false,
                0,
                Optional.of(Duration.ofHours(2)));
    assertEquals(Optional.empty(), idle(s, "v1", SUNSET));
  }

  @Test
  void aReleaseThatNeverPolledIsIdleOnlyInADeploymentThatExistsWithAnotherCurrentVersion() {
    States failed = v3Current().service("v4", 2, Duration.ofHours(2), false);
    assertEquals(Optional.empty(), idle(failed, "v4", SUNSET));

    States noDeployment = state().service("v4", 2, Duration.ofHours(2), false);
    assertTrue(
        idle(noDeployment, "v4", SUNSET).orElseThrow().contains("has no Worker Deployment orders"));

    States nothingCurrent =
        state()
            .current("v3", Duration.ofDays(1))
            .version("v3", Status.CURRENT, true)
            .service("v3", 3, Duration.ofDays(3), false)
            .service("v4", 2, Duration.ofHours(2), false);
    // A deployment with no current version, as Temporal has it once the current one is unset.
    Observed o = nothingCurrent.observed();
    Observed noCurrent =
        new Observed(
            o.now(),
            o.scope(),
            o.routing()
                .map(
                    r ->
                        new Observed.Routing(
                            Optional.empty(),
                            Optional.empty(),
                            0,
                            r.rampChangedAt(),
                            r.currentChangedAt(),
                            r.conflictToken())),
            o.versions(),
            o.services(),
            o.gates(),
            o.health(),
            o.recentlyPolled());
    assertTrue(Idle.whyNot(noCurrent, "v4", SUNSET).orElseThrow().contains("no current version"));
  }

  @Test
  void aReleaseYoungerThanScaleDownAfterIsNotYetIdle() {
    States young = v3Current().service("v4", 2, Duration.ofMinutes(5), false);
    assertTrue(idle(young, "v4", SUNSET).orElseThrow().contains("created 300 s ago"));
  }

  @Test
  void aBuildWhoseHostsPolledLatelyIsNeverTakenForOneThatNeverPolled() {
    States s = v3Current().service("v4", 2, Duration.ofHours(2), false).polledLately("v4");
    assertTrue(idle(s, "v4", SUNSET).orElseThrow().contains("its hosts polled lately"));
    assertTrue(
        idle(s, "v4", Idle.Rule.release("v4")).orElseThrow().contains("its hosts polled lately"));
  }

  @Test
  void aReleaseMayStopItsOwnBuildThatNeverPolledEvenWithNoDeploymentYet() {
    States firstFailed = state().service("v1", 2, Duration.ofMinutes(6), false);
    assertEquals(Optional.empty(), idle(firstFailed, "v1", Idle.Rule.release("v1")));
    assertFalse(idle(firstFailed, "v1", Idle.Rule.release("v9")).isEmpty(), "only its own");
  }

  @Test
  void sunsetKeepsANeverPolledServiceWhenTheDeploymentHasNoCurrentVersionOrItsHostsPoll() {
    Plan polled =
        SunsetPlanner.plan(
            v3Current().service("v4", 2, Duration.ofHours(2), true).polledLately("v4").observed(),
            Duration.ofSeconds(1),
            Duration.ofHours(24));
    assertTrue(polled.actions().isEmpty(), polled.lines().toString());
    assertTrue(polled.message().contains("v4: its hosts polled lately"), polled.message());
  }

  @Test
  void aFailedRampKeepsItsServiceWhileTemporalSaysTheVersionDrains() {
    Release r =
        States.withRule(
            release("v4", List.of(RampStep.parse("50:1m").get(0)), Optional.empty()), 0.1, 5);
    States s =
        v3Current()
            .version("v4", Status.DRAINING, false)
            .activated("v4")
            .service("v4", 2, Duration.ofMinutes(10), true)
            .health(20, 10, 0);
    // Not ramping any more (an earlier pass ended the ramp), yet Temporal says it drains.
    Plan p = DeployPlanner.plan(s.observed(), r, List.of());
    assertEquals(Plan.REFUSED, p.exitCode(), p.lines().toString());
    assertTrue(
        p.actions().stream().noneMatch(a -> a.stops().isPresent()),
        "nothing that stops work: " + p.lines());
    assertTrue(p.message().contains("stays at 2 task(s)"), p.message());
    assertTrue(p.message().contains("draining"), p.message());
    assertTrue(p.message().contains("not ramped again"), p.message());
    // Never routed to: not a release taken back, it goes on.
    States waiting =
        v3Current()
            .version("v4", Status.DRAINED, false)
            .service("v4", 2, Duration.ofMinutes(10), true);
    assertFalse(DeployPlanner.plan(waiting.observed(), r, List.of()).stops());
  }

  @Test
  void everyActionThatMayStopWorkNamesItsBuild() {
    assertEquals(Optional.of("v1"), new Action.ScaleService("s", "v1", 0, "r").stops());
    assertEquals(Optional.empty(), new Action.ScaleService("s", "v1", 2, "r").stops());
    assertEquals(Optional.of("v1"), new Action.DeleteService("s", "v1", "r").stops());
    assertEquals(Optional.of("v1"), new Action.DeregisterScaling("s", "v1", "r").stops());
    assertEquals(Optional.of("v1"), new Action.DeleteVersion("v1", "r").stops());
    assertEquals(Optional.empty(), new Action.SetCurrent("v1", "r").stops());
  }
}
