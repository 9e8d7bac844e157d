package io.drainhost.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one {@code bench} run. Latencies in milliseconds, end to end: from sending the
 * start to seeing the workflow closed.
 */
record BenchReport(
    String pattern,
    String target,
    double requestedRate,
    double seconds,
    long started,
    long completed,
    long failed,
    long notCompleted,
    double startsPerSecond,
    double completionsPerSecond,
    double p50Ms,
    double p95Ms,
    double p99Ms,
    double maxMs,
    TreeMap<String, Long> errors) {

  String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "bench: pattern=%s target=%s rate=%s duration=%.1fs%n",
            pattern,
            target,
            requestedRate > 0 ? String.format("%.1f/s", requestedRate) : "closed-loop",
            seconds));
    sb.append(
        "| started | completed | failed | not completed | starts/s | completions/s | p50 ms | p95 ms | p99 ms | max ms |\n");
    sb.append(
        "|--------:|----------:|-------:|--------------:|---------:|--------------:|-------:|-------:|-------:|-------:|\n");
    sb.append(
        String.format(
            "| %7d | %9d | %6d | %13d | %8.1f | %13.1f | %6.0f | %6.0f | %6.0f | %6.0f |%n",
            started,
            completed,
            failed,
            notCompleted,
            startsPerSecond,
            completionsPerSecond,
            p50Ms,
            p95Ms,
            p99Ms,
            maxMs));
    if (errors.isEmpty()) {
      sb.append("errors: none\n");
    } else {
      sb.append("errors:");
      for (Map.Entry<String, Long> e : errors.entrySet()) {
        sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
