package io.drainhost.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.replay.ReplayFailure.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayReportTest {
  static ReplayFailure failure(Reason reason) {
    return new ReplayFailure("wf", "run", "T", reason, "why");
  }

  static ReplayReport report(List<ReplayFailure> failures, List<String> notes) {
    return ReplayReport.of(3, failures, notes, Instant.now(), Duration.ofMillis(5));
  }

  @Test
  void onlyEvidenceFailsTheCheckAndWhatCouldNotBeCheckedMakesItIncomplete() {
    assertEquals(ReplayReport.State.PASSED, report(List.of(), List.of()).state());
    assertEquals(
        ReplayReport.State.INCOMPLETE,
        report(List.of(failure(Reason.FETCH_FAILED)), List.of()).state());
    assertEquals(
        ReplayReport.State.INCOMPLETE, report(List.of(), List.of("listing failed")).state());
    for (Reason blocking :
        List.of(Reason.NONDETERMINISM, Reason.REPLAY_ERROR, Reason.UNKNOWN_TYPE)) {
      assertEquals(
          ReplayReport.State.FAILED,
          report(List.of(failure(Reason.FETCH_FAILED), failure(blocking)), List.of()).state(),
          blocking.toString());
    }
  }

  @Test
  void theJsonNamesEachFailureWithItsReasonOnTheWire() {
    Map<String, Object> json =
        report(List.of(failure(Reason.UNKNOWN_TYPE)), List.of()).toJson("enforce");
    assertEquals("failed", json.get("state"));
    assertEquals("enforce", json.get("mode"));
    assertEquals(3, json.get("checked"));
    assertEquals(5L, json.get("durationMs"));
    assertEquals(
        List.of(
            Map.of(
                "workflowId", "wf",
                "runId", "run",
                "type", "T",
                "reason", "unknown_type",
                "message", "why")),
        json.get("failures"));
  }

  @Test
  void theTableHasALinePerFailureAndTheNotes() {
    String table =
        ReplayTable.format(
            report(List.of(failure(Reason.NONDETERMINISM)), List.of("could not list X")));
    List<String> lines = table.lines().toList();
    assertEquals(4, lines.size(), table);
    assertTrue(lines.get(0).startsWith("replay check: failed — 3 runs replayed in 5 ms"), table);
    assertTrue(lines.get(2).matches("wf +run +T +nondeterminism +why"), table);
    assertEquals("note: could not list X", lines.get(3));
  }
}
