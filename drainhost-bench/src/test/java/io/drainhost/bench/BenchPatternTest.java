package io.drainhost.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchPatternTest {
  @Test
  void eachPatternStartsItsWorkflowWithItsInput() {
    assertEquals("GreetingWorkflow", BenchPattern.of("greeting").workflowType);
    assertEquals(Map.of("name", "bench"), BenchPattern.GREETING.input(1, 3, 100));
    assertEquals(Map.of("seconds", 2), BenchPattern.SLEEP.input(2, 3, 100));
    assertEquals(
        Map.of("pattern", "timer", "activities", 3, "millis", 250),
        BenchPattern.TIMER.input(1, 3, 250));
    assertEquals("BenchmarkWorkflow", BenchPattern.of("child-workflow").workflowType);
    assertThrows(IllegalArgumentException.class, () -> BenchPattern.of("teleport"));
  }

  @Test
  void rampUpIsLinearThenTheRateHolds() {
    WorkflowBenchmark ramped = new WorkflowBenchmark(options(10, Duration.ofSeconds(4)), null);
    assertEquals(0, ramped.scheduledStarts(0), 1e-9);
    assertEquals(5, ramped.scheduledStarts(2), 1e-9); // half the rate over the first half
    assertEquals(20, ramped.scheduledStarts(4), 1e-9);
    assertEquals(120, ramped.scheduledStarts(14), 1e-9);
    WorkflowBenchmark flat = new WorkflowBenchmark(options(10, Duration.ZERO), null);
    assertEquals(30, flat.scheduledStarts(3), 1e-9);
  }

  private static WorkflowBenchmark.Options options(double rate, Duration rampUp) {
    return new WorkflowBenchmark.Options(
        BenchPattern.GREETING,
        rate,
        Duration.ofSeconds(10),
        rampUp,
        8,
        1,
        1,
        0,
        null,
        null,
        null,
        Duration.ofSeconds(10),
        0);
  }
}
