package io.drainhost.replay;

import java.util.ArrayList;
import java.util.List;

/** A replay report as a table for a terminal or a pipeline's log. */
public final class ReplayTable {
  private ReplayTable() {}

  public static String format(ReplayReport report) {
    StringBuilder out = new StringBuilder();
    out.append("replay check: ")
        .append(report.state().wireName())
        .append(" — ")
        .append(report.checked())
        .append(report.checked() == 1 ? " run" : " runs")
        .append(" replayed in ")
        .append(report.duration().toMillis())
        .append(" ms, ")
        .append(report.failures().size())
        .append(report.failures().size() == 1 ? " failure" : " failures")
        .append('\n');
    if (!report.failures().isEmpty()) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"WORKFLOW ID", "RUN ID", "TYPE", "REASON", "MESSAGE"});
      for (ReplayFailure f : report.failures()) {
        rows.add(
            new String[] {f.workflowId(), f.runId(), f.type(), f.reason().wireName(), f.message()});
      }
      int[] widths = new int[4];
      for (String[] row : rows) {
        for (int i = 0; i < widths.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      for (String[] row : rows) {
        for (int i = 0; i < widths.length; i++) {
          out.append(String.format("%-" + widths[i] + "s  ", row[i]));
        }
        out.append(row[4]).append('\n');
      }
    }
    report.notes().forEach(n -> out.append("note: ").append(n).append('\n'));
    return out.toString();
  }
}
