package io.drainhost.deploy.plan;

import static io.drainhost.deploy.plan.States.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.deploy.plan.Observed.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules of rollback, from state fixtures. */
class RollbackPlannerTest {
  @Test
  void thePreviousVersionWithPollersBecomesCurrentAndAnyRampEnds() {
    States s =
        state()
            .current("v2", Duration.ofMinutes(10))
            .ramping("v3", 10, Duration.ofMinutes(1))
            .version("v2", Status.CURRENT, true)
            .service("v2", 2, Duration.ofHours(1), false)
            .service("v3", 2, Duration.ofHours(1), false)
            .version("v1", Status.DRAINING, true);
    Plan p = RollbackPlanner.plan(s.observed());
    assertEquals(
        List.of(Action.SetRamping.class, Action.SetCurrent.class),
        p.actions().stream().map(Object::getClass).toList());
    assertEquals("v1", ((Action.SetCurrent) p.actions().get(1)).buildId());
    assertEquals(Plan.DONE, p.exitCode());
  }

  @Test
  void aPreviousVersionWithoutPollersIsRefused() {
    States s =
        state()
            .current("v2", Duration.ofMinutes(10))
            .version("v2", Status.CURRENT, true)
            .service("v2", 2, Duration.ofHours(1), false)
            .version(
                "v1",
                Status.DRAINED,
                true,
                States.QUEUES,
                false,
                0,
                Optional.of(Duration.ofHours(1)));
    Plan p = RollbackPlanner.plan(s.observed());
    assertEquals(Plan.REFUSED, p.exitCode());
    assertTrue(p.message().contains("scale its ECS service up first"), p.message());
  }

  @Test
  void withNothingCurrentBeforeThereIsNothingToRollBackTo() {
    Plan p =
        RollbackPlanner.plan(
            state()
                .current("v1", Duration.ofMinutes(1))
                .version("v1", Status.CURRENT, false)
                .service("v1", 2, Duration.ofHours(1), false)
                .observed());
    assertEquals(Plan.REFUSED, p.exitCode());
    assertEquals(Plan.USAGE, RollbackPlanner.plan(state().observed()).exitCode());
  }
}
