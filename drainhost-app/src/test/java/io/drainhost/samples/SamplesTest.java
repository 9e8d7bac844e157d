package io.drainhost.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {
  @Test
  void theVariantComesFromItsNameAndDefaultsToVersionOne() {
    assertEquals(Samples.Variant.V1, Samples.Variant.parse(null));
    assertEquals(Samples.Variant.V1, Samples.Variant.parse(" "));
    assertEquals(Samples.Variant.V2_BREAKING, Samples.Variant.parse("v2-breaking"));
    assertEquals(Samples.Variant.V2_PATCHED, Samples.Variant.parse("V2-Patched"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Samples.Variant.parse("v3"));
    assertEquals(
        "DRAINHOST_SAMPLES_VARIANT=v3: must be one of v1, v2-breaking, v2-patched, v2, v2-faulty",
        e.getMessage());
  }

  @Test
  void eachVariantRegistersItsOwnSleepWorkflowAndTheSameOthers() {
    assertEquals(
        List.of(
            GreetingWorkflowImpl.class,
            SleepWorkflowV2Breaking.class,
            BenchmarkWorkflowImpl.class,
            ReportWorkflowImpl.class),
        List.of(Samples.workflowTypes(Samples.Variant.V2_BREAKING, false)));
    assertEquals(
        CountdownWorkflowV2.class,
        List.of(Samples.workflowTypes(Samples.Variant.V2, true)).get(4),
        "with versioning, the pinned type too");
  }
}
