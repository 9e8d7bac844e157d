package io.drainhost.schedules;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the fires of a past range that never ran, for an operator. A fire whose workflow ran (on
 * time or late, succeeded or failed) or may still run is left alone: a fire runs at most once.
 * Backfilled runs get their own workflow ids ({@code <schedule id>-<fire>-backfill}) because a
 * skipped fire's id is taken by the run that skipped it; starting them refuses an id that exists,
 * so two operators backfilling the same range run each fire once.
 */
final class ScheduleBackfill {
  private static final Logger log = LoggerFactory.getLogger(ScheduleBackfill.class);
  static final int MAX_FIRES = 1000;
  static final String MEMO = "drainhostBackfillOf";

  private final WorkflowClient client;

  ScheduleBackfill(WorkflowClient client) {
    this.client = client;
  }

  int run(DeclaredSchedule s, Instant from, Instant to) {
    List<Instant> fires = s.fireTimes().first(from, to, MAX_FIRES);
    if (fires.isEmpty()) {
      return 0;
    }
    Map<Instant, ScheduledRun> runs = s.runsSince(client, fires.get(0), MAX_FIRES * 2L);
    List<Instant> due = new ArrayList<>();
    for (Instant fire : fires) {
      ScheduledRun run = runs.get(fire);
      boolean mayStillRun = run != null && run.outcome() == ScheduledRun.Outcome.RUNNING;
      if (run == null || (!run.executed() && !mayStillRun)) {
        due.add(fire);
      }
    }
    if (s.declaration().misfirePolicy() == MisfirePolicy.CATCHUP_LATEST && due.size() > 1) {
      due = List.of(due.get(due.size() - 1));
    }
    int started = 0;
    for (Instant fire : due) {
      try {
        client
            .newUntypedWorkflowStub(
                s.declaration().workflowType(),
                WorkflowOptions.newBuilder()
                    .setTaskQueue(s.taskQueue())
                    .setWorkflowId(s.workflowIdOf(fire) + "-backfill")
                    .setWorkflowIdReusePolicy(
                        WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                    .setMemo(Map.of(MEMO, DateTimeFormatter.ISO_INSTANT.format(fire)))
                    .build())
            .start(s.arguments());
        started++;
      } catch (WorkflowExecutionAlreadyStarted alreadyBackfilled) {
        // another backfill ran this fire
      }
    }
    log.info(
        "schedule backfill: schedule={} from={} to={} fires={} started={}",
        s.id(),
        from,
        to,
        fires.size(),
        started);
    return started;
  }
}
