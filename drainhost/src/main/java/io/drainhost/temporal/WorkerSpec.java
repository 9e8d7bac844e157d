package io.drainhost.temporal;

import io.drainhost.config.SlotLimits;
import java.util.List;
import java.util.OptionalInt;

/**
 * One Temporal worker of the host: its task queue, what it runs and the slot limits the builder set
 * for it (each unset one comes from the configuration).
 */
public record WorkerSpec(
    String taskQueue,
    List<Class<?>> workflowTypes,
    List<Object> activities,
    OptionalInt workflowTaskSlots,
    OptionalInt activitySlots) {
  public WorkerSpec {
    workflowTypes = List.copyOf(workflowTypes);
    activities = List.copyOf(activities);
  }

  /** This worker's limits: its own where set, the configured ones otherwise. */
  public SlotLimits slots(SlotLimits configured) {
    SlotLimits limits = configured;
    if (workflowTaskSlots.isPresent()) {
      limits = limits.withWorkflowTasks(workflowTaskSlots.getAsInt());
    }
    if (activitySlots.isPresent()) {
      limits = limits.withActivities(activitySlots.getAsInt());
    }
    return limits;
  }
}
