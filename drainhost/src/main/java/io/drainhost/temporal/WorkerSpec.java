package io.drainhost.temporal;

import io.drainhost.config.SlotLimits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** The workflow implementation classes of each worker, by task queue, in the workers' order. */
  public static Map<String, List<Class<?>>> workflowImplementations(List<WorkerSpec> workers) {
    Map<String, List<Class<?>>> byQueue = new LinkedHashMap<>();
    workers.forEach(w -> byQueue.put(w.taskQueue(), w.workflowTypes()));
    return byQueue;
  }
}
