package io.drainhost.deploy.plan;

import static io.drainhost.deploy.plan.States.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.deploy.plan.Observed.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules of sunset, from state fixtures. */
class SunsetPlannerTest {
  static final Duration DOWN = Duration.ofHours(1);
  static final Duration DELETE = Duration.ofHours(24);

  static Plan plan(States s) {
    return SunsetPlanner.plan(s.observed(), DOWN, DELETE);
  }

  static States v3Current() {
    return state()
        .current("v3", Duration.ofDays(3))
        .version("v3", Status.CURRENT, true)
        .service("v3", 3, Duration.ofDays(3), true);
  }

  static States drained(States s, String buildId, Duration retired) {
    return s.version(buildId, Status.DRAINED, true, States.QUEUES, false, 0, Optional.of(retired));
  }

  @Test
  void aDrainedVersionLosesItsAutoscalingBeforeItsServiceGoesToZero() {
    Plan p =
        plan(
            drained(v3Current(), "v1", Duration.ofHours(2))
                .service("v1", 3, Duration.ofDays(4), true));
    assertEquals(2, p.actions().size(), p.lines().toString());
    assertTrue(p.actions().get(0) instanceof Action.DeregisterScaling);
    assertTrue(p.actions().get(1) instanceof Action.ScaleService);
    assertEquals(Plan.DONE, p.exitCode());
  }

  @Test
  void aVersionDrainedLessThanScaleDownAfterIsKept() {
    Plan p =
        plan(
            drained(v3Current(), "v1", Duration.ofMinutes(20))
                .service("v1", 3, Duration.ofDays(4), true));
    assertTrue(p.actions().isEmpty());
    assertTrue(p.message().contains("v1: drained 1200 s ago"), p.message());
  }

  @Test
  void pastDeleteAfterTheServiceAndTheVersionAreDeleted() {
    Plan p =
        plan(
            drained(v3Current(), "v1", Duration.ofHours(30))
                .service("v1", 0, Duration.ofDays(4), false));
    assertEquals(
        List.of(Action.DeleteService.class, Action.DeleteVersion.class),
        p.actions().stream().map(Object::getClass).toList());
  }

  @Test
  void aDrainingVersionOrOneWithOpenPinnedRunsIsNeverTouched() {
    States s =
        v3Current()
            .version("v1", Status.DRAINING, true)
            .service("v1", 3, Duration.ofDays(4), true)
            .version(
                "v2",
                Status.DRAINED,
                true,
                States.QUEUES,
                true,
                4,
                Optional.of(Duration.ofHours(30)))
            .service("v2", 3, Duration.ofDays(4), true);
    Plan p = plan(s);
    assertTrue(p.actions().isEmpty(), p.lines().toString());
    assertTrue(p.message().contains("v1: draining"), p.message());
    assertTrue(p.message().contains("v2: 4 open pinned runs"), p.message());
  }

  @Test
  void aReleaseThatNeverPolledIsRetiredFromItsServicesAge() {
    States failed = v3Current().service("v4", 2, Duration.ofHours(2), true);
    Plan p = plan(failed);
    assertEquals(
        List.of(Action.DeregisterScaling.class, Action.ScaleService.class),
        p.actions().stream().map(Object::getClass).toList());
    assertTrue(p.actions().get(1).reason().contains("never polled"), p.lines().toString());
    Plan young = plan(v3Current().service("v4", 2, Duration.ofMinutes(10), true));
    assertTrue(young.actions().isEmpty(), "a release still starting is left alone");
    Plan old = plan(v3Current().service("v4", 0, Duration.ofDays(2), false));
    assertEquals(
        List.of(Action.DeleteService.class), old.actions().stream().map(Object::getClass).toList());
  }

  @Test
  void theCurrentAndTheRampingVersionsAreNeverRetired() {
    States s =
        v3Current()
            .service("v3", 3, Duration.ofDays(3), true)
            .ramping("v4", 10, Duration.ofHours(5))
            .service("v4", 3, Duration.ofDays(3), true);
    assertTrue(plan(s).actions().isEmpty());
  }

  @Test
  void aVersionInactiveButCurrentOnceIsNotRetiredWithoutDrainage() {
    Plan p =
        plan(
            v3Current()
                .version("v1", Status.INACTIVE, true)
                .service("v1", 3, Duration.ofDays(4), true));
    assertTrue(p.actions().isEmpty());
    assertTrue(p.message().contains("v1: inactive, not retired"), p.message());
  }
}
