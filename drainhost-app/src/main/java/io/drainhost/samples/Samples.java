package io.drainhost.samples;

import java.util.List;

/** The sample workflows and activities that {@code serve} (and the benchmark baseline) register. */
public final class Samples {
  private Samples() {}

  public static Class<?>[] workflowTypes() {
    return new Class<?>[] {
      GreetingWorkflowImpl.class,
      SleepWorkflowImpl.class,
      BenchmarkWorkflowImpl.class,
      ReportWorkflowImpl.class
    };
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
