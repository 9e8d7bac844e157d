package io.drainhost.deploy.plan;

import static io.drainhost.deploy.plan.States.release;
import static io.drainhost.deploy.plan.States.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.deploy.plan.Observed.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * ECS and Temporal must describe the same deployment before any planner plans a change: each
 * mistake an operator makes is refused (exit 2), naming both sides, by sunset, rollback and deploy
 * alike.
 */
class IdentityTest {
  static final Release V2 = release("v2", List.of(), Optional.empty());

  /** Every planner's answer on {@code o}, for a release of {@code r} where one is planned. */
  static List<Plan> everyPlanner(Observed o, Release r) {
    return List.of(
        SunsetPlanner.plan(o, Duration.ofSeconds(1), Duration.ofHours(24)),
        RollbackPlanner.plan(o),
        DeployPlanner.plan(o, r, List.of()));
  }

  static void refusedByEveryPlanner(States s, String... named) {
    for (Plan p : everyPlanner(s.observed(), V2)) {
      assertEquals(Plan.USAGE, p.exitCode(), p.lines().toString());
      assertTrue(p.actions().isEmpty(), "nothing planned: " + p.lines());
      for (String n : named) {
        assertTrue(p.message().contains(n), n + " named in: " + p.message());
      }
    }
  }

  @Test
  void servicesRunningForADeploymentTemporalDoesNotKnowAreAMistypedNamespaceNotAFailedRelease() {
    // What a namespace typo, another Temporal cluster or a deleted deployment look like.
    States s = state().service("v1", 2, Duration.ofDays(2), true);
    refusedByEveryPlanner(
        s, "namespace default", "127.0.0.1:7233", "ECS cluster prod", "orders-v1");
  }

  @Test
  void aCurrentVersionWithoutItsServiceInTheClusterIsTheWrongClusterOrRegion() {
    States s = state().current("v1", Duration.ofDays(1)).version("v1", Status.CURRENT, true);
    refusedByEveryPlanner(s, "version v1", "ECS cluster prod (region eu-west-1)", "--cluster");
    States ramping =
        state()
            .current("v1", Duration.ofDays(1))
            .version("v1", Status.CURRENT, true)
            .service("v1", 2, Duration.ofDays(2), false)
            .ramping("v0", 10, Duration.ofMinutes(1));
    refusedByEveryPlanner(ramping, "version v0");
  }

  @Test
  void tasksThatPollAnotherNamespaceRefuseTheRun() {
    States s =
        state()
            .current("v1", Duration.ofDays(1))
            .version("v1", Status.CURRENT, true)
            .service("v1", 2, Duration.ofDays(2), false)
            .runs("v1", "registry/orders@sha256:v1", Optional.of("prod"));
    refusedByEveryPlanner(s, "uses namespace prod", "namespace default");
  }

  @Test
  void aBuildIdAlreadyRunningAnotherImageIsRefused() {
    States s =
        state()
            .current("v1", Duration.ofDays(1))
            .version("v1", Status.CURRENT, true)
            .service("v1", 2, Duration.ofDays(2), false)
            .service("v2", 2, Duration.ofMinutes(1), false)
            .runs("v2", "registry/other:v2", Optional.empty());
    Plan p = DeployPlanner.plan(s.observed(), V2, List.of());
    assertEquals(Plan.USAGE, p.exitCode());
    assertTrue(p.message().contains("registry/other:v2"), p.message());
    assertTrue(p.message().contains(V2.image().get()), p.message());
  }

  @Test
  void aFirstReleaseAndAReleaseResumingItsOwnServiceAreNoMismatch() {
    assertEquals(Optional.empty(), Identity.mismatch(state().observed(), Optional.of(V2)));
    States resuming = state().service("v2", 2, Duration.ofMinutes(1), false);
    assertEquals(Optional.empty(), Identity.mismatch(resuming.observed(), Optional.of(V2)));
    // A failed first release, at 0, is no live version: a new first release may go on.
    States failedBefore = state().service("v0", 0, Duration.ofHours(1), false);
    assertEquals(Optional.empty(), Identity.mismatch(failedBefore.observed(), Optional.of(V2)));
  }
}
