package io.drainhost.deploy.activity;

import io.drainhost.deploy.Parts;
import io.drainhost.deploy.workflow.ReleaseWorkflow;
import io.drainhost.deploy.workflow.SunsetWorkflow;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A deployment's sunset as a Temporal Schedule: every interval, a {@link SunsetWorkflow} run on the
 * tool's task queue retires what is idle, with no pipeline and no cron job of the team's.
 */
public final class SunsetSchedule {
  private SunsetSchedule() {}

  /** How often, and past what, sunset retires a version. */
  public record Every(Duration interval, Duration scaleDownAfter, Duration deleteAfter) {
    /** What {@code deploy} schedules, as the docs advised running sunset by hand. */
    public static final Every DEFAULT =
        new Every(Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(24));
  }

  public static String id(String cluster, String deployment) {
    return "drainhost-sunset/" + cluster + "/" + deployment;
  }

  /** What the schedule does, as the commands say it. */
  public static String describe(String cluster, String deployment, Every every) {
    return "sunset of "
        + deployment
        + " every "
        + every.interval()
        + " (scale down after "
        + every.scaleDownAfter()
        + ", delete after "
        + every.deleteAfter()
        + "): Temporal Schedule "
        + id(cluster, deployment);
  }

  /**
   * Creates the schedule; an existing one is replaced when {@code replace}, else kept (a team may
   * have changed it). The line to print, when something was done.
   */
  public static Optional<String> ensure(Parts p, Every every, boolean replace) {
    String cluster = p.connections().cluster;
    String deployment = p.connections().deployment;
    String id = id(cluster, deployment);
    ScheduleClient schedules =
        ScheduleClient.newInstance(
            p.stubs(),
            ScheduleClientOptions.newBuilder().setNamespace(p.connections().namespace()).build());
    Schedule schedule =
        Schedule.newBuilder()
            .setAction(
                ScheduleActionStartWorkflow.newBuilder()
                    .setWorkflowType(SunsetWorkflow.class)
                    .setArguments(
                        new SunsetWorkflow.Request(
                            cluster, deployment, every.scaleDownAfter(), every.deleteAfter()))
                    .setOptions(
                        WorkflowOptions.newBuilder()
                            .setWorkflowId(id)
                            .setTaskQueue(ReleaseWorkflow.TASK_QUEUE)
                            .build())
                    .build())
            .setSpec(
                ScheduleSpec.newBuilder()
                    .setIntervals(List.of(new ScheduleIntervalSpec(every.interval())))
                    .build())
            .setPolicy(
                SchedulePolicy.newBuilder()
                    .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
                    .build())
            .build();
    String what = describe(cluster, deployment, every);
    try {
      schedules.createSchedule(id, schedule, ScheduleOptions.newBuilder().build());
      return Optional.of("scheduled " + what);
    } catch (ScheduleAlreadyRunningException e) {
      if (!replace) {
        return Optional.empty();
      }
      schedules.getHandle(id).update(in -> new ScheduleUpdate(schedule));
      return Optional.of("rescheduled " + what);
    }
  }
}
