package io.drainhost.deploy.plan;

import static io.drainhost.deploy.plan.States.release;
import static io.drainhost.deploy.plan.States.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.deploy.check.Finding;
import io.drainhost.deploy.plan.Observed.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every rule of a release, from state fixtures: no server, no clock. */
class DeployPlannerTest {
  static final List<RampStep> STEPS =
      List.of(new RampStep(10, Duration.ofMinutes(5)), new RampStep(50, Duration.ofMinutes(10)));
  static final Release V2 = release("v2", STEPS, Optional.of("Gate"));
  static final Release V2_NO_GATE = release("v2", STEPS, Optional.empty());

  /** v1 current for a day, polling, with its service scaling automatically. */
  static States v1Current() {
    return state()
        .current("v1", Duration.ofDays(1))
        .version("v1", Status.CURRENT, true)
        .service("v1", 3, Duration.ofDays(1), true);
  }

  static Plan plan(States s, Release r) {
    return DeployPlanner.plan(s.observed(), r, List.of());
  }

  static List<Class<?>> kinds(Plan p) {
    return p.actions().stream().<Class<?>>map(Object::getClass).toList();
  }

  @Test
  void aNewBuildGetsItsTaskDefinitionItsServiceAndTheCurrentVersionsAutoscaling() {
    Plan p = plan(v1Current(), V2);
    assertEquals(
        List.of(
            Action.RegisterTaskDefinition.class,
            Action.CreateService.class,
            Action.CopyScaling.class),
        kinds(p));
    assertFalse(p.stops());
    Action.CopyScaling copy = (Action.CopyScaling) p.actions().get(2);
    assertEquals("orders-v1", copy.fromService());
    assertEquals("v1", copy.fromBuildId());
    assertEquals("v2", copy.toBuildId());
    assertEquals(
        ServiceNames.of("orders", "v2"), ((Action.CreateService) p.actions().get(1)).name());
  }

  @Test
  void aFirstReleaseStartsFromTheFilesAndCopiesNoAutoscaling() {
    Plan p = plan(state(), V2);
    assertEquals(
        List.of(Action.RegisterTaskDefinition.class, Action.CreateService.class), kinds(p));
    assertTrue(p.actions().get(0).reason().contains("from the files"));
  }

  @Test
  void aSettingThatDoesNotFitDrainhostRefusesTheReleaseBeforeAnythingIsCreated() {
    Plan p =
        DeployPlanner.plan(
            v1Current().observed(),
            V2,
            List.of(
                Finding.error("service.healthCheckGracePeriodSeconds", "0 s is shorter than …"),
                Finding.ok("x", "fine")));
    assertTrue(p.stops());
    assertEquals(Plan.USAGE, p.exitCode());
    assertTrue(p.actions().isEmpty());
    assertTrue(p.message().contains("healthCheckGracePeriodSeconds"), p.message());
  }

  @Test
  void rolloutWithoutAServiceIsAUsageErrorNamingTheVersion() {
    Plan p = plan(v1Current(), States.rolloutOnly(V2));
    assertEquals(Plan.USAGE, p.exitCode());
    assertTrue(p.message().contains("orders:v2"), p.message());
  }

  @Test
  void aServiceCreatedBeforeAnInterruptionGetsTheAutoscalingItMissesAndWaitsForPollers() {
    Plan p = plan(v1Current().service("v2", 3, Duration.ofSeconds(20), false), V2);
    assertEquals(List.of(Action.CopyScaling.class), kinds(p));
    assertFalse(p.stops());
    assertTrue(p.message().contains("waiting for orders:v2 to poll"), p.message());
  }

  @Test
  void whileItsPollersAreDueTheReleaseWaits() {
    Plan p = plan(v1Current().service("v2", 3, Duration.ofMinutes(2), true), V2);
    assertTrue(p.actions().isEmpty());
    assertFalse(p.stops());
  }

  @Test
  void aBuildThatNeverPollsFailsAndLeavesNothingRunning() {
    Plan p = plan(v1Current().service("v2", 3, Duration.ofMinutes(6), true), V2);
    assertTrue(p.stops());
    assertEquals(Plan.REFUSED, p.exitCode());
    assertEquals(List.of(Action.DeregisterScaling.class, Action.ScaleService.class), kinds(p));
    assertEquals(0, ((Action.ScaleService) p.actions().get(1)).desired());
    assertTrue(p.message().contains("never polls"), p.message());
  }

  @Test
  void ecsGivingUpOnTheTasksFailsTheReleaseAtOnce() {
    Plan p = plan(v1Current().service("v2", 3, Duration.ofSeconds(30), true, true), V2);
    assertEquals(Plan.REFUSED, p.exitCode());
    assertTrue(p.message().contains("ECS gave up"), p.message());
  }

  @Test
  void aVersionPollingOnlySomeOfTheCurrentQueuesIsNotYetReady() {
    States s =
        v1Current()
            .service("v2", 3, Duration.ofMinutes(1), true)
            .version(
                "v2",
                Status.INACTIVE,
                false,
                java.util.Set.of("other/TASK_QUEUE_TYPE_WORKFLOW"),
                true,
                0,
                Optional.empty());
    Plan p = plan(s, V2);
    assertFalse(p.stops());
    assertTrue(p.actions().isEmpty());
  }

  static States v2Polling() {
    return v1Current()
        .service("v2", 3, Duration.ofMinutes(1), true)
        .version("v2", Status.INACTIVE, false);
  }

  @Test
  void beforeTheFirstStepItsGateStarts() {
    Plan p = plan(v2Polling(), V2);
    assertEquals(List.of(Action.StartGate.class), kinds(p));
    Action.StartGate g = (Action.StartGate) p.actions().get(0);
    assertEquals(V2.stepGateId(0), g.workflowId());
    assertEquals("Gate", g.workflowType());
  }

  @Test
  void aGateWorkflowRunsOnceBeforeAnyTrafficAndTheStepGatesAfterIt() {
    Release both =
        new Release(
            "orders",
            "v2",
            V2.image(),
            Optional.empty(),
            STEPS,
            Optional.of("Once"),
            Optional.of("Gate"),
            FailureRule.STRICT,
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            Duration.ZERO);
    Plan once = plan(v2Polling(), both);
    assertEquals(both.onceGateId(), ((Action.StartGate) once.actions().get(0)).workflowId());
    assertEquals("Once", ((Action.StartGate) once.actions().get(0)).workflowType());
    Plan step = plan(v2Polling().gate(both.onceGateId(), true, true, Duration.ofMinutes(1)), both);
    assertEquals(both.stepGateId(0), ((Action.StartGate) step.actions().get(0)).workflowId());
  }

  @Test
  void withoutStepsTheStepGateGuardsTheOneStepToCurrent() {
    Release noSteps = release("v2", List.of(), Optional.of("Gate"));
    Plan p = plan(v2Polling(), noSteps);
    assertEquals(noSteps.onceGateId(), ((Action.StartGate) p.actions().get(0)).workflowId());
    Plan current =
        plan(v2Polling().gate(noSteps.onceGateId(), true, true, Duration.ofSeconds(5)), noSteps);
    assertEquals(List.of(Action.SetCurrent.class), kinds(current));
  }

  @Test
  void aRunningGateIsWaitedForAndAnOverdueOneFailsTheRelease() {
    Plan waiting =
        plan(v2Polling().gate(V2.stepGateId(0), false, false, Duration.ofMinutes(1)), V2);
    assertTrue(waiting.actions().isEmpty());
    assertFalse(waiting.stops());
    Plan overdue =
        plan(v2Polling().gate(V2.stepGateId(0), false, false, Duration.ofMinutes(6)), V2);
    assertEquals(Plan.REFUSED, overdue.exitCode());
    assertEquals(
        List.of(
            Action.TerminateGate.class, Action.DeregisterScaling.class, Action.ScaleService.class),
        kinds(overdue));
  }

  @Test
  void aFailedGateFailsTheReleaseAndNothingRamps() {
    Plan p = plan(v2Polling().gate(V2.stepGateId(0), true, false, Duration.ofMinutes(1)), V2);
    assertEquals(Plan.REFUSED, p.exitCode());
    assertTrue(p.actions().stream().noneMatch(a -> a instanceof Action.SetRamping));
    assertTrue(p.message().startsWith("gate " + V2.stepGateId(0) + " failed"), p.message());
  }

  @Test
  void everyStepHasItsOwnGateBeforeItsRamp() {
    Plan ramp = plan(v2Polling().gate(V2.stepGateId(0), true, true, Duration.ofSeconds(30)), V2);
    assertEquals(List.of(Action.SetRamping.class), kinds(ramp));
    assertEquals(10f, ((Action.SetRamping) ramp.actions().get(0)).percent());
  }

  @Test
  void aStepIsWatchedForItsWholeWindowThenTheNextStepsGateRuns() {
    States inStep =
        v2Polling()
            .ramping("v2", 10, Duration.ofMinutes(2))
            .health(30, 0, 0)
            .gate(V2.onceGateId(), true, true, Duration.ofMinutes(3))
            .gate(V2.stepGateId(0), true, true, Duration.ofMinutes(3));
    Plan watching = plan(inStep, V2);
    assertTrue(watching.actions().isEmpty());
    assertTrue(watching.message().contains("ramping at 10.0%"), watching.message());
    States stepDone =
        v2Polling()
            .ramping("v2", 10, Duration.ofMinutes(6))
            .health(30, 0, 0)
            .gate(V2.onceGateId(), true, true, Duration.ofMinutes(7))
            .gate(V2.stepGateId(0), true, true, Duration.ofMinutes(7));
    Plan next = plan(stepDone, V2);
    assertEquals(List.of(Action.StartGate.class), kinds(next));
    assertEquals(V2.stepGateId(1), ((Action.StartGate) next.actions().get(0)).workflowId());
  }

  @Test
  void afterTheLastStepTheVersionIsMadeCurrent() {
    States done = v2Polling().ramping("v2", 50, Duration.ofMinutes(11)).health(300, 0, 0);
    Plan p = plan(done, V2_NO_GATE);
    assertEquals(List.of(Action.SetCurrent.class), kinds(p));
    assertEquals("v2", ((Action.SetCurrent) p.actions().get(0)).buildId());
  }

  @Test
  void withoutStepsAndGatesTheVersionIsMadeCurrentAtOnce() {
    Plan p = plan(v2Polling(), release("v2", List.of(), Optional.empty()));
    assertEquals(List.of(Action.SetCurrent.class), kinds(p));
  }

  @Test
  void anyFailureWhileRampingRollsBackByDefaultAndLeavesNothingRunning() {
    States failing = v2Polling().ramping("v2", 10, Duration.ofMinutes(1)).health(40, 1, 0);
    Plan p = plan(failing, V2_NO_GATE);
    assertEquals(Plan.REFUSED, p.exitCode());
    assertEquals(
        List.of(Action.SetRamping.class, Action.DeregisterScaling.class, Action.ScaleService.class),
        kinds(p));
    assertEquals("", ((Action.SetRamping) p.actions().get(0)).buildId());
    assertTrue(p.message().contains("failed while ramping at 10.0%"), p.message());
    assertTrue(p.message().contains("the current version v1 unchanged"), p.message());
  }

  @Test
  void aFailureRateCountsAtLeastTheMinimumRunsSoOneFailureInTwoIsNotHalf() {
    Release rated = States.withRule(V2_NO_GATE, 0.10, 20);
    Plan oneInTwo =
        plan(v2Polling().ramping("v2", 10, Duration.ofMinutes(1)).health(2, 1, 0), rated);
    assertFalse(oneInTwo.stops(), "1/20 = 5% is under 10%: " + oneInTwo.message());
    Plan threeInTwenty =
        plan(v2Polling().ramping("v2", 10, Duration.ofMinutes(1)).health(20, 2, 1), rated);
    assertEquals(Plan.REFUSED, threeInTwenty.exitCode(), "3/20 = 15%");
    Plan manyRuns =
        plan(v2Polling().ramping("v2", 10, Duration.ofMinutes(1)).health(100, 5, 0), rated);
    assertFalse(manyRuns.stops(), "5/100 = 5%");
  }

  @Test
  void aReleaseAtZeroTasksFailedBeforeAndARerunOnlyFinishesItsCleanUp() {
    Plan p = plan(v1Current().service("v2", 0, Duration.ofMinutes(10), true), V2);
    assertEquals(Plan.REFUSED, p.exitCode());
    assertEquals(List.of(Action.DeregisterScaling.class), kinds(p));
    Plan clean = plan(v1Current().service("v2", 0, Duration.ofMinutes(10), false), V2);
    assertEquals(Plan.REFUSED, clean.exitCode());
    assertTrue(clean.actions().isEmpty());
  }

  @Test
  void theDeploymentsFirstVersionPassesItsGateThenBecomesCurrentWithoutRamping() {
    States first =
        state()
            .service("v1", 2, Duration.ofMinutes(1), false)
            .version("v1", Status.INACTIVE, false);
    Release v1 = release("v1", STEPS, Optional.of("Gate"));
    assertEquals(List.of(Action.StartGate.class), kinds(plan(first, v1)));
    Plan current = plan(first.gate(v1.onceGateId(), true, true, Duration.ofSeconds(20)), v1);
    assertEquals(List.of(Action.SetCurrent.class), kinds(current));
  }

  @Test
  void aCurrentVersionIsDoneUnlessItsRollbackWindowIsOpen() {
    States promoted =
        state()
            .current("v2", Duration.ofMinutes(2))
            .version("v2", Status.CURRENT, true)
            .version("v1", Status.DRAINING, true)
            .service("v2", 3, Duration.ofMinutes(30), true);
    Plan done = plan(promoted, V2);
    assertTrue(done.stops());
    assertEquals(Plan.DONE, done.exitCode());
    Release watched = States.withRollbackWindow(V2, Duration.ofMinutes(10));
    Plan watching = plan(promoted.health(50, 0, 0), watched);
    assertFalse(watching.stops());
    Plan after =
        plan(
            state()
                .current("v2", Duration.ofMinutes(11))
                .version("v2", Status.CURRENT, true)
                .service("v2", 3, Duration.ofMinutes(30), true),
            watched);
    assertEquals(Plan.DONE, after.exitCode());
  }

  @Test
  void failuresInTheRollbackWindowMakeThePreviousVersionCurrentAgain() {
    Release watched = States.withRollbackWindow(V2, Duration.ofMinutes(10));
    States failing =
        state()
            .current("v2", Duration.ofMinutes(2))
            .version("v2", Status.CURRENT, true)
            .version("v1", Status.DRAINING, true)
            .service("v2", 3, Duration.ofMinutes(30), true)
            .health(50, 2, 0);
    Plan p = plan(failing, watched);
    assertEquals(Plan.REFUSED, p.exitCode());
    assertEquals(List.of(Action.SetCurrent.class), kinds(p));
    assertEquals("v1", ((Action.SetCurrent) p.actions().get(0)).buildId());
  }

  @Test
  void noPreviousVersionWithPollersMeansNoRollbackAfterPromotion() {
    Release watched = States.withRollbackWindow(V2, Duration.ofMinutes(10));
    States alone =
        state()
            .current("v2", Duration.ofMinutes(2))
            .version("v2", Status.CURRENT, true)
            .service("v2", 2, Duration.ofMinutes(5), false)
            .version(
                "v1",
                Status.DRAINED,
                true,
                States.QUEUES,
                false,
                0,
                Optional.of(Duration.ofMinutes(1)))
            .health(50, 2, 0);
    Plan p = plan(alone, watched);
    assertEquals(Plan.REFUSED, p.exitCode());
    assertTrue(p.actions().isEmpty());
  }

  @Test
  void serviceNamesAreReadableAndUniquePerBuildIdWithinEcsRules() {
    Release r = release("release-2024-06-01", List.of(), Optional.empty());
    Release next = release("release-2024-06-02", List.of(), Optional.empty());
    assertTrue(r.serviceName().startsWith("orders-release-2024-06-01-"), r.serviceName());
    assertNotEquals(r.serviceName(), next.serviceName(), "ids sharing a prefix share no service");
    String digest = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    Release a = release(digest, List.of(), Optional.empty());
    Release b = release(digest.replace('f', 'e'), List.of(), Optional.empty());
    assertNotEquals(a.serviceName(), b.serviceName(), "digests differing past the prefix");
    assertTrue(a.serviceName().startsWith("orders-0123456789abcdef01234567-"), a.serviceName());
    Release odd = release("1.4.2+b7", List.of(), Optional.empty());
    assertTrue(odd.serviceName().matches("orders-1-4-2-b7-[0-9a-f]{10}"), odd.serviceName());
    assertNotEquals(
        odd.serviceName(), release("1.4.2-b7", List.of(), Optional.empty()).serviceName());
    String longName = "d".repeat(300);
    assertTrue(ServiceNames.of(longName, "v1").length() <= 255);
    assertTrue(ServiceNames.of(longName, "v1").matches("[A-Za-z0-9_-]+"));
  }

  @Test
  void anAbortMidRampEndsTheRampAndScalesTheBuildDownOnceIdle() {
    Plan p =
        DeployPlanner.abort(
            v2Polling().ramping("v2", 10, Duration.ofMinutes(1)).observed(), V2_NO_GATE, "ops");
    assertEquals(Plan.REFUSED, p.exitCode());
    assertEquals(
        List.of(Action.SetRamping.class, Action.DeregisterScaling.class, Action.ScaleService.class),
        kinds(p));
    assertTrue(p.message().contains("orders:v2 aborted by ops"), p.message());
  }

  @Test
  void anAbortAfterPromotionMakesThePreviousVersionCurrentAgain() {
    States promoted =
        state()
            .current("v2", Duration.ofMinutes(2))
            .version("v2", Status.CURRENT, true)
            .version("v1", Status.DRAINING, true)
            .service("v2", 3, Duration.ofMinutes(30), true);
    Plan p = DeployPlanner.abort(promoted.observed(), V2, "ops");
    assertEquals(List.of(Action.SetCurrent.class), kinds(p));
    assertEquals("v1", ((Action.SetCurrent) p.actions().get(0)).buildId());
    assertEquals(Plan.REFUSED, p.exitCode());
  }

  @Test
  void anAbortBeforeAnythingWasCreatedChangesNothing() {
    Plan p = DeployPlanner.abort(v1Current().observed(), V2, "ops");
    assertEquals(List.of(), p.actions());
    assertEquals(Plan.REFUSED, p.exitCode());
  }
}
