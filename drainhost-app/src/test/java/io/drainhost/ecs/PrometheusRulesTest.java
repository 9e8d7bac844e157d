package io.drainhost.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shipped alerting rules are valid Prometheus rules and alert when they should, checked by
 * Prometheus's own promtool (Debian's prometheus package; CI installs it and sets
 * DRAINHOST_REQUIRE_PROMTOOL so that this cannot be skipped there).
 */
class PrometheusRulesTest {
  static final Path RULES =
      DeploymentFilesTest.ROOT.resolve(Path.of("ecs", "prometheus-rules.yml"));

  @Test
  void theRulesFilePassesPromtoolsCheck() throws Exception {
    Result r = promtool("check", "rules", RULES.toAbsolutePath().toString());
    assertEquals(0, r.exit(), r.output());
  }

  @Test
  void anOverdueScheduleAndMissedFiresAlertAndAHealthyOneDoesNot() throws Exception {
    assertPromtoolTestPasses(
        "  - interval: 1m",
        "    input_series:",
        // two tasks report the same schedules; only one saw the outage
        "      - series: 'drainhost_schedule_overdue{schedule=\"daily\", task=\"a\"}'",
        "        values: '0 0 1 1 1 1 1'",
        "      - series: 'drainhost_schedule_overdue{schedule=\"daily\", task=\"b\"}'",
        "        values: '0 0 0 0 0 0 0'",
        "      - series: 'drainhost_schedule_overdue{schedule=\"pulse\", task=\"a\"}'",
        "        values: '0 0 0 0 0 0 0'",
        "      - series: 'drainhost_schedule_missed_fires_total{schedule=\"daily\", task=\"a\"}'",
        "        values: '0 0 3 3 3 3 3'",
        "      - series: 'drainhost_schedule_missed_fires_total{schedule=\"pulse\", task=\"a\"}'",
        "        values: '0 0 0 0 0 0 0'",
        "    alert_rule_test:",
        "      - eval_time: 3m",
        "        alertname: DrainhostScheduleOverdue",
        "        exp_alerts: []",
        "      - eval_time: 5m",
        "        alertname: DrainhostScheduleOverdue",
        "        exp_alerts:",
        "          - exp_labels: {severity: page, schedule: daily}",
        "            exp_annotations:",
        "              summary: 'Schedule daily has no recent successful run'",
        "              description: 'drainhost reports schedule daily overdue: no run succeeded"
            + " within one interval plus the tolerance of its last due fire. GET /schedules on"
            + " any task shows lastFire, lastSuccess and missedFires; the host log has one WARN"
            + " line per missed fire.'",
        "      - eval_time: 5m",
        "        alertname: DrainhostScheduleMissedFires",
        "        exp_alerts:",
        "          - exp_labels: {severity: ticket, schedule: daily}",
        "            exp_annotations:",
        "              summary: 'Schedule daily missed fires in the last 30 minutes'",
        "              description: '3 fires of daily did not run on time. Search the host logs"
            + " for \"scheduled fire missed: schedule=daily\" to see each fire and what"
            + " happened to it.'",
        "");
  }

  @Test
  void aSteadilyThrottledNamespaceAlertsAndADeploymentsBurstDoesNot() throws Exception {
    assertPromtoolTestPasses(
        "  - interval: 1m",
        "    input_series:",
        // two tasks whose heartbeats are refused all along: 30 a minute each
        "      - series: 'drainhost_temporal_throttled_total{call=\"heartbeat\", task=\"a\"}'",
        "        values: '0+30x30'",
        "      - series: 'drainhost_temporal_throttled_total{call=\"heartbeat\", task=\"b\"}'",
        "        values: '0+30x30'",
        // one burst of refused hand-offs during a deployment, then none
        "      - series: 'drainhost_temporal_throttled_total{call=\"respond\", task=\"a\"}'",
        "        values: '0 0 120 120 120 120 120 120 120 120 120 120 120 120 120 120 120 120 120"
            + " 120 120 120 120 120 120 120 120 120 120 120 120'",
        "      - series: 'drainhost_temporal_throttled_total{call=\"poll\", task=\"a\"}'",
        "        values: '0x30'",
        "    alert_rule_test:",
        "      - eval_time: 8m",
        "        alertname: DrainhostNamespaceThrottled",
        "        exp_alerts: []",
        "      - eval_time: 20m",
        "        alertname: DrainhostNamespaceThrottled",
        "        exp_alerts:",
        "          - exp_labels: {severity: ticket, call: heartbeat}",
        "            exp_annotations:",
        "              summary: \"Temporal is throttling drainhost's heartbeat calls\"",
        "              description: '1 heartbeat calls per second refused with"
            + " RESOURCE_EXHAUSTED, across the service''s tasks, for 10 minutes. Raise the"
            + " namespace''s rate limit, or lower the fleet''s steady calls (longer heartbeat"
            + " timeouts, fewer pollers), before the next deployment strands work; /health"
            + " shows temporalThrottled on each throttled task. See docs/fleet.md for the"
            + " budget.'",
        "");
  }

  /** Runs promtool's unit tests: these lines under {@code tests:}, against the shipped rules. */
  private static void assertPromtoolTestPasses(String... tests) throws Exception {
    Path test = Files.createTempDirectory("drainhost-rules-").resolve("rules-test.yml");
    Files.writeString(
        test,
        "rule_files:\n  - "
            + RULES.toAbsolutePath()
            + "\nevaluation_interval: 1m\ntests:\n"
            + String.join("\n", tests));
    Result r = promtool("test", "rules", test.toString());
    assertEquals(0, r.exit(), r.output());
  }

  private record Result(int exit, String output) {}

  private static Result promtool(String... args) throws IOException, InterruptedException {
    String promtool = find().orElse(null);
    if (promtool == null) {
      if (System.getenv("DRAINHOST_REQUIRE_PROMTOOL") != null) {
        throw new IllegalStateException("promtool not found: apt-get install prometheus");
      }
      Assumptions.abort("promtool not installed (apt-get install prometheus); rules not checked");
    }
    List<String> command = new java.util.ArrayList<>(List.of(promtool));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("promtool did not finish within 60 s");
    }
    return new Result(p.exitValue(), out);
  }

  private static Optional<String> find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }
}
