package io.drainhost.temporal;

import io.drainhost.config.SlotLimits;
import io.drainhost.config.SlotTuner;
import io.drainhost.tracking.InflightItem;
import io.drainhost.tracking.InflightRegistry;
import io.drainhost.tracking.PollGate;
import io.drainhost.tracking.TrackingSlotSupplier;
import io.drainhost.tracking.WorkKind;
import io.temporal.activity.ActivityInfo;
import io.temporal.worker.tuning.ActivitySlotInfo;
import io.temporal.worker.tuning.CompositeTuner;
import io.temporal.worker.tuning.FixedSizeSlotSupplier;
import io.temporal.worker.tuning.ResourceBasedController;
import io.temporal.worker.tuning.ResourceBasedControllerOptions;
import io.temporal.worker.tuning.ResourceBasedSlotOptions;
import io.temporal.worker.tuning.ResourceBasedSlotSupplier;
import io.temporal.worker.tuning.SlotSupplier;
import io.temporal.worker.tuning.WorkflowSlotInfo;
import java.time.Duration;
import java.time.Instant;

/**
 * The slot suppliers of each worker: fixed or resource-based as configured, always wrapped so that
 * the in-flight registry sees every task start and end (exact whichever supplier hands out the
 * slots) and so that the worker's poll gate can end its pollers.
 */
final class WorkerTuners {
  /** Local activities and Nexus tasks are not tracked or drained; the SDK's default limits. */
  private static final int UNTRACKED_SLOTS = 200;

  private static final double TARGET_MEMORY = 0.8;
  private static final double TARGET_CPU = 0.9;

  private final InflightRegistry registry;
  private ResourceBasedController controller;

  WorkerTuners(InflightRegistry registry) {
    this.registry = registry;
  }

  CompositeTuner tuner(String taskQueue, SlotLimits limits, PollGate gate) {
    return new CompositeTuner(
        new TrackingSlotSupplier<>(
            workflowSupplier(limits), registry, slot -> describe(taskQueue, slot), gate),
        new TrackingSlotSupplier<>(
            activitySupplier(limits), registry, slot -> describe(taskQueue, slot), gate),
        new FixedSizeSlotSupplier<>(UNTRACKED_SLOTS),
        new FixedSizeSlotSupplier<>(UNTRACKED_SLOTS));
  }

  private SlotSupplier<WorkflowSlotInfo> workflowSupplier(SlotLimits limits) {
    if (limits.tuner() == SlotTuner.FIXED) {
      return new FixedSizeSlotSupplier<>(limits.workflowTasks());
    }
    return ResourceBasedSlotSupplier.createForWorkflow(
        controller(), options(limits.workflowTasks(), Duration.ZERO));
  }

  private SlotSupplier<ActivitySlotInfo> activitySupplier(SlotLimits limits) {
    if (limits.tuner() == SlotTuner.FIXED) {
      return new FixedSizeSlotSupplier<>(limits.activities());
    }
    // The SDK's own default ramp for activities: a burst cannot outrun the memory reading.
    return ResourceBasedSlotSupplier.createForActivity(
        controller(), options(limits.activities(), Duration.ofMillis(50)));
  }

  private static ResourceBasedSlotOptions options(int maximum, Duration rampThrottle) {
    return ResourceBasedSlotOptions.newBuilder()
        .setMinimumSlots(1)
        .setMaximumSlots(maximum)
        .setRampThrottle(rampThrottle)
        .build();
  }

  /** One controller for the process: every worker's slots draw on the same memory and CPU. */
  private synchronized ResourceBasedController controller() {
    if (controller == null) {
      controller =
          ResourceBasedController.newSystemInfoController(
              ResourceBasedControllerOptions.newBuilder(TARGET_MEMORY, TARGET_CPU).build());
    }
    return controller;
  }

  private static InflightItem describe(String taskQueue, WorkflowSlotInfo slot) {
    return new InflightItem(
        WorkKind.WORKFLOW_TASK,
        taskQueue,
        slot.getWorkflowId(),
        slot.getRunId(),
        slot.getWorkflowType(),
        slot.getWorkflowType(),
        0,
        0,
        Instant.now(),
        new byte[0]);
  }

  private static InflightItem describe(String taskQueue, ActivitySlotInfo slot) {
    ActivityInfo info = slot.getActivityInfo();
    return new InflightItem(
        WorkKind.ACTIVITY,
        taskQueue,
        info.getWorkflowId(),
        info.getRunId(),
        info.getWorkflowType(),
        info.getActivityType(),
        info.getAttempt(),
        info.getRetryOptions() == null ? 0 : info.getRetryOptions().getMaximumAttempts(),
        Instant.now(),
        info.getTaskToken());
  }
}
