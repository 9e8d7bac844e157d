package io.drainhost;

import io.drainhost.config.SlotLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * What one more worker of a host runs, on its own task queue: {@code
 * DrainHost.builder().worker("reports", w -> w.registerActivitiesImplementations(new
 * ReportActivitiesImpl()).activitySlots(4))}. Its work is tracked, drained and handed off like that
 * of the host's default worker.
 */
public final class TaskQueueWorker {
  final List<Class<?>> workflowTypes = new ArrayList<>();
  final List<Object> activities = new ArrayList<>();
  OptionalInt workflowTaskSlots = OptionalInt.empty();
  OptionalInt activitySlots = OptionalInt.empty();

  TaskQueueWorker() {}

  public TaskQueueWorker registerWorkflowImplementationTypes(Class<?>... types) {
    workflowTypes.addAll(Arrays.asList(types));
    return this;
  }

  public TaskQueueWorker registerActivitiesImplementations(Object... implementations) {
    activities.addAll(Arrays.asList(implementations));
    return this;
  }

  /** Workflow tasks this worker runs at once; overrides {@code DRAINHOST_WORKFLOW_TASK_SLOTS}. */
  public TaskQueueWorker workflowTaskSlots(int n) {
    SlotLimits.requireInRange("workflowTaskSlots", n);
    workflowTaskSlots = OptionalInt.of(n);
    return this;
  }

  /** Activity attempts this worker runs at once; overrides {@code DRAINHOST_ACTIVITY_SLOTS}. */
  public TaskQueueWorker activitySlots(int n) {
    SlotLimits.requireInRange("activitySlots", n);
    activitySlots = OptionalInt.of(n);
    return this;
  }

  boolean isEmpty() {
    return workflowTypes.isEmpty() && activities.isEmpty();
  }
}
