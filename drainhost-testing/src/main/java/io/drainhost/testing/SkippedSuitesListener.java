package io.drainhost.testing;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Says in one line each, at the end of a test run, which real-server and container suites were
 * skipped and why.
 */
public final class SkippedSuitesListener implements TestExecutionListener {
  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    if (!TemporalServers.skipped.isEmpty()) {
      System.out.println(
          "drainhost: skipped the real-Temporal suites "
              + String.join(", ", TemporalServers.skipped)
              + ": "
              + TemporalCli.missingAdvice());
    }
    if (!ContainerEngine.skipped.isEmpty()) {
      System.out.println(
          "drainhost: skipped the container suites "
              + String.join(", ", ContainerEngine.skipped)
              + ": "
              + ContainerEngine.missingAdvice());
    }
  }
}
