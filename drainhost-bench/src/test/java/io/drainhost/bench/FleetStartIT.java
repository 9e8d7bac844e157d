package io.drainhost.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.TemporalServer;
import io.drainhost.testing.TemporalServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One replay per build, on the real dev server, through {@code bench-fleet-start} (5 hosts of one
 * build against 22 running histories, 20 of about 600 events): the fleet fetches the histories
 * about once, each host is ready within one gate of a gate-less start, a later host replays only
 * the new runs, and a breaking build is refused by every host, none polling.
 */
class FleetStartIT {
  private static final Pattern HOST =
      Pattern.compile(
          "fleet start: (fleet|breaking) host \\S+: state=(\\w+) checked=(\\d+) fromRecord=(\\d+)"
              + " gateMs=(\\d+) (startToReadyMs|startToRefusalMs)=(\\d+) ms");

  private record Host(String group, String state, int checked, long readyMs, boolean polled) {}

  @Test
  void theHostsOfOneBuildShareOneReplayAndAllRefuseABreakingBuild() {
    TemporalServers.requireAvailable(TemporalServer.Kind.TEMPORAL_CLI, FleetStartIT.class);
    try (ChildProcess bench = BenchJar.start("fleet-start", Map.of(), "bench-fleet-start")) {
      assertEquals(0, bench.awaitExit(Duration.ofMinutes(5)), bench.tail());
      String out = bench.output();
      out.lines()
          .filter(l -> l.startsWith("fleet start") || l.startsWith("|"))
          .forEach(System.out::println);

      int alone = group(out, "one host alone: \\S+: state=passed checked=(\\d+)");
      long aloneGate =
          group(out, "one host alone: \\S+: state=passed checked=\\d+ fromRecord=0 gateMs=(\\d+)");
      long ungated = group(out, "hosts without a gate: slowest startToReadyMs=(\\d+)");
      assertEquals(22, alone, "one host alone replays every running history");

      List<Host> hosts = new ArrayList<>();
      Matcher m = HOST.matcher(out);
      while (m.find()) {
        hosts.add(
            new Host(
                m.group(1),
                m.group(2),
                Integer.parseInt(m.group(3)),
                Long.parseLong(m.group(7)),
                m.group(6).equals("startToReadyMs")));
      }
      List<Host> fleet = hosts.stream().filter(h -> h.group().equals("fleet")).toList();
      assertEquals(5, fleet.size(), out);
      int fetched = fleet.stream().mapToInt(Host::checked).sum();
      assertTrue(
          fetched >= alone && fetched <= 1.2 * alone,
          "the fleet fetched " + fetched + " histories, one host alone " + alone);
      for (Host h : fleet) {
        assertTrue(h.polled() && h.state().equals("passed"), h.toString());
        // Generous: bench-fleet-start prints the figure (one gate + 1 s); this catches hosts that
        // check one after another, or wait out a timeout.
        assertTrue(
            h.readyMs() <= ungated + aloneGate + 5000,
            h
                + " is ready later than a gate-less start ("
                + ungated
                + " ms) + one gate ("
                + aloneGate
                + " ms) + 5 s");
      }

      assertEquals(
          2,
          group(out, "a later host after 2 new runs: \\S+: state=passed checked=(\\d+)"),
          "a later host replays only the runs started since the record");

      List<Host> breaking = hosts.stream().filter(h -> h.group().equals("breaking")).toList();
      assertEquals(5, breaking.size(), out);
      for (Host h : breaking) {
        assertTrue(!h.polled() && h.state().equals("failed"), h.toString());
      }
      assertTrue(
          out.contains("breaking build on 5 hosts: 5 refused (exit 4), 0 polled"), bench.tail());
      // The record holds the breaking build's passes, never its failures: a later host fetches
      // the failing runs again and is refused on its own evidence.
      assertTrue(
          Pattern.compile(
                  "a later host of the breaking build: \\S+: state=failed checked=2 fromRecord=22"
                      + " .* exit=4")
              .matcher(out)
              .find(),
          bench.tail());
    }
  }

  private static int group(String out, String regex) {
    Matcher m = Pattern.compile(regex).matcher(out);
    assertTrue(m.find(), "no /" + regex + "/ in:\n" + out);
    return Integer.parseInt(m.group(1));
  }
}
