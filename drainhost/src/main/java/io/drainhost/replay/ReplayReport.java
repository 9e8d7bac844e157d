package io.drainhost.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one replay check: what was replayed and what failed. Served as {@code GET
 * /replay}.
 *
 * @param checked runs whose history was fetched and replayed (with or without success)
 * @param notes what kept the check from being complete, besides failed fetches (a failed listing)
 * @param fromRecord runs not fetched here because the build's record covers them (one replay per
 *     build: {@link BuildRecord})
 * @param record the build's record this verdict came from, was written to, or waited on (a
 *     versioned host); empty for a host that checked alone
 */
public record ReplayReport(
    State state,
    int checked,
    List<ReplayFailure> failures,
    List<String> notes,
    Instant startedAt,
    Duration duration,
    int fromRecord,
    String record) {

  /** The check's state; {@code SKIPPED} when there is nothing to check against. */
  public enum State {
    RUNNING,
    PASSED,
    FAILED,
    INCOMPLETE,
    SKIPPED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ReplayReport {
    failures = List.copyOf(failures);
    notes = List.copyOf(notes);
  }

  static ReplayReport running(Instant startedAt) {
    return new ReplayReport(
        State.RUNNING, 0, List.of(), List.of(), startedAt, Duration.ZERO, 0, "");
  }

  static ReplayReport skipped(String why) {
    return new ReplayReport(
        State.SKIPPED, 0, List.of(), List.of(why), Instant.now(), Duration.ZERO, 0, "");
  }

  /** The state that the failures and notes give: any blocking failure fails the check. */
  static ReplayReport of(
      int checked,
      List<ReplayFailure> failures,
      List<String> notes,
      Instant startedAt,
      Duration duration) {
    State state;
    if (failures.stream().anyMatch(f -> f.reason().blocks())) {
      state = State.FAILED;
    } else if (!failures.isEmpty() || !notes.isEmpty()) {
      state = State.INCOMPLETE;
    } else {
      state = State.PASSED;
    }
    return new ReplayReport(state, checked, failures, notes, startedAt, duration, 0, "");
  }

  ReplayReport withFromRecord(int runs) {
    return new ReplayReport(state, checked, failures, notes, startedAt, duration, runs, record);
  }

  ReplayReport withRecord(String where) {
    return new ReplayReport(
        state, checked, failures, notes, startedAt, duration, fromRecord, where);
  }

  public long failures(ReplayFailure.Reason reason) {
    return failures.stream().filter(f -> f.reason() == reason).count();
  }

  /** The report as the JSON of {@code GET /replay}. */
  public Map<String, Object> toJson(String mode) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("state", state.wireName());
    body.put("mode", mode);
    body.put("checked", checked);
    body.put(
        "failures",
        failures.stream()
            .map(
                f -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("workflowId", f.workflowId());
                  m.put("runId", f.runId());
                  m.put("type", f.type());
                  m.put("reason", f.reason().wireName());
                  m.put("message", f.message());
                  return m;
                })
            .toList());
    body.put("notes", notes);
    body.put("fromRecord", fromRecord);
    if (!record.isEmpty()) {
      body.put("record", record);
    }
    body.put("startedAt", startedAt.toString());
    body.put("durationMs", duration.toMillis());
    return body;
  }
}
