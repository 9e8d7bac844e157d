package io.drainhost.schedules;

import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Applies the misfire policy where only the run can: when a worker first runs a scheduled fire.
 * Temporal starts a fire's workflow on time even when no worker is up, so lateness is known only
 * when the first workflow task runs. The decision is a side effect (recorded in history, the same
 * on replay) and is kept in the run's memo, where detection and {@code GET /schedules} read it.
 */
public final class MisfireGuard extends WorkerInterceptorBase {
  private final Map<String, DeclaredSchedule> schedules;

  MisfireGuard(Map<String, DeclaredSchedule> schedules) {
    this.schedules = schedules;
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        WorkflowInfo info = Workflow.getInfo();
        Optional<Fire> fire =
            info.getContinuedExecutionRunId().isPresent()
                ? Optional.empty()
                : fireOf(info.getWorkflowId(), info.getWorkflowType());
        if (fire.isEmpty()) {
          return super.execute(input);
        }
        DeclaredSchedule s = fire.get().schedule();
        Instant at = fire.get().at();
        FireVerdict verdict =
            Workflow.sideEffect(
                FireVerdict.class,
                () ->
                    FireVerdict.decide(
                        s.declaration().misfirePolicy(),
                        s.declaration().tolerance(),
                        s.fireTimes(),
                        at,
                        Instant.now()));
        // Every verdict goes into the memo: a run without one has not been begun by any worker.
        Workflow.upsertMemo(Map.of(FireVerdict.MEMO, verdict.wireName()));
        if (verdict != FireVerdict.ON_TIME) {
          Logger log = Workflow.getLogger(MisfireGuard.class);
          log.info(
              "scheduled fire started late: schedule={} fire={} policy={} verdict={}",
              s.id(),
              at,
              s.declaration().misfirePolicy().wireName(),
              verdict.wireName());
        }
        return verdict == FireVerdict.SKIPPED ? new WorkflowOutput(null) : super.execute(input);
      }
    };
  }

  private record Fire(DeclaredSchedule schedule, Instant at) {}

  /** The fire a workflow id names, when it is a run of a declared schedule of this type. */
  private Optional<Fire> fireOf(String workflowId, String workflowType) {
    for (DeclaredSchedule s : schedules.values()) {
      if (s.declaration().workflowType().equals(workflowType)) {
        Optional<Instant> fire = s.fireOf(workflowId);
        if (fire.isPresent()) {
          return Optional.of(new Fire(s, fire.get()));
        }
      }
    }
    return Optional.empty();
  }
}
