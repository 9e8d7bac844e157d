package io.drainhost.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.support.Api;
import io.drainhost.support.Hosts;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.DrainReports;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code DRAINHOST_HANDOFF_MARGIN} is the time kept after the shutdown timeout for hand-off
 * retries, the HTTP stop and the exit: a hand-off that Temporal keeps refusing is retried until the
 * margin before the stop timeout, and the host exits before the stop timeout.
 */
@org.junit.jupiter.api.Tag(io.drainhost.support.Timing.TAG)
class HandoffMarginIT {
  @Test
  void handOffRetriesEndTheMarginBeforeTheStopTimeoutAndTheHostStillExitsBeforeIt() {
    try (TemporalServer temporal = TemporalServer.start(TemporalServer.Kind.JAVA_TEST_SERVER);
        ChildProcess host =
            ChildProcess.start(
                "margin",
                LocalHosts.hostEnv(
                    temporal.port(),
                    "margin-" + UUID.randomUUID(),
                    Map.of(
                        "DRAINHOST_SHUTDOWN_TIMEOUT", "10s",
                        "DRAINHOST_STOP_TIMEOUT", "20s",
                        "DRAINHOST_HANDOFF_MARGIN", "8s",
                        "DRAINHOST_DRAIN_POLICY", "*=finish")))) {
      int port = Hosts.awaitPolling(host);
      Api.start(port, "{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":120}}")
          .then()
          .statusCode(201);
      await().atMost(Duration.ofSeconds(20)).until(() -> Api.activitiesInFlight(port) == 1);
      // Temporal gone: the deadline's hand-off is refused (UNAVAILABLE) and retried to its end.
      temporal.kill();
      long start = System.nanoTime();
      host.signal("TERM");
      int exit = host.awaitExit(Duration.ofSeconds(40));
      long exitMs = (System.nanoTime() - start) / 1_000_000;
      String report = host.awaitLog("drain report: (.*)", Duration.ofSeconds(1));
      assertEquals(3, exit, "nothing could be handed back: " + report);
      long handoffsEndedMs = 0;
      for (String step :
          new String[] {"stop_polling", "early_handoff", "wait_inflight", "handoff"}) {
        handoffsEndedMs +=
            DrainReports.number(report, step).orElseThrow(() -> new AssertionError(report));
      }
      // 20 s - 8 s: the retries end about 12 s into the drain (the default 3 s margin: 17 s).
      assertTrue(
          handoffsEndedMs > 11_000 && handoffsEndedMs < 13_500,
          "hand-off retries end about 8 s before the stop timeout: "
              + handoffsEndedMs
              + " ms, "
              + report);
      Matcher retries = Pattern.compile("handoffRetries=(\\d+)").matcher(report);
      assertTrue(retries.find() && Long.parseLong(retries.group(1)) > 0, "retried: " + report);
      assertTrue(exitMs < 20_000, "exited before the stop timeout: " + exitMs + " ms");
      System.out.printf(
          "margin 8 s: hand-off retries ended %d ms into the drain, the host exited after %d ms"
              + " (stop timeout 20 s)%n",
          handoffsEndedMs, exitMs);
    }
  }
}
