package io.drainhost.deploy.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drainhost.deploy.act.Actor;
import io.drainhost.deploy.activity.ReleaseActivities;
import io.drainhost.deploy.workflow.ReleaseRequest;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A release workflow passes observations, plans and requests through Temporal's payloads (its
 * history): each comes back equal from the SDK's default data converter, every kind of action
 * included.
 */
class PlansInHistoryTest {
  static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;

  static <T> T roundTrip(T value, Class<T> type) {
    Optional<Payloads> p = CONVERTER.toPayloads(value);
    return CONVERTER.fromPayloads(0, p, type, type);
  }

  @Test
  void aPlanWithEveryKindOfActionComesBackEqual() {
    Plan plan =
        Plan.waiting(
            "everything",
            List.of(
                new Action.RegisterTaskDefinition("v2", "img@sha256:1", "r1"),
                new Action.CreateService("orders-v2", "v2", Optional.of(3), "r2"),
                new Action.CopyScaling("orders-v1", "v1", "orders-v2", "v2", "r3"),
                new Action.DeregisterScaling("orders-v1", "v1", "r4"),
                new Action.ScaleService("orders-v1", "v1", 0, "r5"),
                new Action.DeleteService("orders-v1", "v1", "r6"),
                new Action.StartGate("g", "Gate", "v2", "r7"),
                new Action.TerminateGate("g", "r8"),
                new Action.SetRamping("v2", 10, "r9"),
                new Action.SetCurrent("v2", "r10"),
                new Action.DeleteVersion("v1", "r11")));
    assertEquals(plan, roundTrip(plan, Plan.class));
  }

  @Test
  void anObservationComesBackWithTheSamePlan() {
    States s =
        DeployPlannerTest.v2Polling().ramping("v2", 10, Duration.ofMinutes(1)).health(40, 1, 0);
    Observed o = s.observed();
    Observed back = roundTrip(o, Observed.class);
    assertEquals(o.services(), back.services());
    assertEquals(o.versions(), back.versions());
    assertEquals(o.health(), back.health());
    assertEquals(
        DeployPlanner.plan(o, DeployPlannerTest.V2, List.of()),
        DeployPlanner.plan(back, DeployPlannerTest.V2, List.of()));
  }

  @Test
  void aReleaseRequestWithItsFilesAndRulesComesBackEqual() {
    ReleaseRequest r =
        new ReleaseRequest(
            ReleaseRequest.Kind.DEPLOY,
            "prod",
            "orders",
            Optional.of(States.withRollbackWindow(DeployPlannerTest.V2, Duration.ofMinutes(5))),
            Actor.Sources.none(),
            ReleaseRequest.Carried.none());
    assertEquals(r, roundTrip(r, ReleaseRequest.class));
    ReleaseActivities.Pass pass =
        new ReleaseActivities.Pass(DeployPlannerTest.v1Current().observed(), List.of());
    assertEquals(
        pass.observed().routing().get().current(),
        roundTrip(pass, ReleaseActivities.Pass.class).observed().routing().get().current());
  }
}
