package io.drainhost.samples;

import java.util.List;
import java.util.Locale;

/** The sample workflows and activities that {@code serve} (and the benchmark baseline) register. */
public final class Samples {
  private Samples() {}

  /** {@code DRAINHOST_SAMPLES_VARIANT}: which version of the sample code this build runs. */
  public enum Variant {
    V1("v1", SleepWorkflowImpl.class, CountdownWorkflowImpl.class),
    V2_BREAKING("v2-breaking", SleepWorkflowV2Breaking.class, CountdownWorkflowImpl.class),
    V2_PATCHED("v2-patched", SleepWorkflowV2Patched.class, CountdownWorkflowImpl.class),
    /**
     * A release under Worker Versioning: the pinned type changed incompatibly (no v1 run comes to
     * it), the auto-upgrade type behind {@code getVersion} (v1 runs move to it).
     */
    V2("v2", SleepWorkflowV2Patched.class, CountdownWorkflowV2.class),
    /** A build with a bug: SleepWorkflow fails every workflow task (CountdownWorkflow works). */
    V2_FAULTY("v2-faulty", SleepWorkflowFaulty.class, CountdownWorkflowV2.class);

    public static final String VARIABLE = "DRAINHOST_SAMPLES_VARIANT";

    private final String wireName;
    private final Class<? extends SleepWorkflow> sleepWorkflow;
    private final Class<? extends CountdownWorkflow> countdownWorkflow;

    Variant(
        String wireName,
        Class<? extends SleepWorkflow> sleepWorkflow,
        Class<? extends CountdownWorkflow> countdownWorkflow) {
      this.wireName = wireName;
      this.sleepWorkflow = sleepWorkflow;
      this.countdownWorkflow = countdownWorkflow;
    }

    public String wireName() {
      return wireName;
    }

    /**
     * The variant a value names (unset or blank: v1); throws {@link IllegalArgumentException} with
     * the line to print for any other value.
     */
    public static Variant parse(String value) {
      if (value == null || value.isBlank()) {
        return V1;
      }
      for (Variant v : values()) {
        if (v.wireName.equals(value.trim().toLowerCase(Locale.ROOT))) {
          return v;
        }
      }
      throw new IllegalArgumentException(
          VARIABLE + "=" + value + ": must be one of v1, v2-breaking, v2-patched, v2, v2-faulty");
    }
  }

  public static Class<?>[] workflowTypes() {
    return workflowTypes(Variant.V1, false);
  }

  /**
   * The variant's workflow types; with Worker Versioning also the pinned CountdownWorkflow. Its
   * {@code @WorkflowVersioningBehavior} annotation makes a real server reject every task of it from
   * an unversioned worker, so unversioned hosts do not register it.
   */
  public static Class<?>[] workflowTypes(Variant variant, boolean versioned) {
    List<Class<?>> types =
        new java.util.ArrayList<>(
            List.of(
                GreetingWorkflowImpl.class,
                variant.sleepWorkflow,
                BenchmarkWorkflowImpl.class,
                ReportWorkflowImpl.class));
    if (versioned) {
      types.add(variant.countdownWorkflow);
    }
    return types.toArray(new Class<?>[0]);
  }

  public static Object[] activities() {
    return List.of(
            new GreetingActivitiesImpl(),
            new SleepActivitiesImpl(),
            new BenchmarkActivitiesImpl(),
            new ReportActivitiesImpl())
        .toArray();
  }
}
