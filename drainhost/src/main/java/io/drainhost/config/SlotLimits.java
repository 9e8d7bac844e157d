package io.drainhost.config;

/**
 * How many tasks one worker runs at once. With {@link SlotTuner#FIXED} the limits are exact; with
 * {@link SlotTuner#RESOURCE} the SDK's resource-based tuner hands out slots while the JVM stays
 * under its memory and CPU targets, never more than these limits.
 *
 * @param workflowTasks workflow tasks at once (SDK default 200)
 * @param activities activity attempts at once (SDK default 200)
 */
public record SlotLimits(int workflowTasks, int activities, SlotTuner tuner) {
  public static final int MAX = 10_000;

  public SlotLimits {
    requireInRange("workflow task slots", workflowTasks);
    requireInRange("activity slots", activities);
  }

  /** For the builder's per-worker limits: a programming error, not an operator's setting. */
  public static void requireInRange(String what, int n) {
    if (n < 1 || n > MAX) {
      throw new IllegalArgumentException(what + " must be from 1 to " + MAX + ", not " + n);
    }
  }

  public SlotLimits withWorkflowTasks(int n) {
    return new SlotLimits(n, activities, tuner);
  }

  public SlotLimits withActivities(int n) {
    return new SlotLimits(workflowTasks, n, tuner);
  }
}
