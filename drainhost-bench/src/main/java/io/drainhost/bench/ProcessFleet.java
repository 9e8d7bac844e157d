package io.drainhost.bench;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.DrainReports;
import io.drainhost.testing.LocalHosts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The drill's hosts as processes on fixed ports: each restarted in place (SIGTERM, wait for the
 * exit, start a replacement on the same port, wait until it is healthy). The deploy starts a task
 * of a build that cannot replay the running work beside the fleet, as ECS starts a new task before
 * it stops an old one, which its replay gate must refuse (exit 4, never polled); then v2-patched
 * replaces every host in turn.
 */
final class ProcessFleet implements DrillFleet {
  private static final Pattern REPLAY_REPORT =
      Pattern.compile("state=\\w+ checked=\\d+ nondeterminism=\\d+");

  private final Drill.Options options;
  private final int temporalPort;
  private final String queue;
  private final Report report;
  private final List<Integer> ports = new ArrayList<>();
  private final ChildProcess[] hosts;
  private String variant = "v1";

  ProcessFleet(Drill.Options options, int temporalPort, String queue, Report report) {
    this.options = options;
    this.temporalPort = temporalPort;
    this.queue = queue;
    this.report = report;
    this.hosts = new ChildProcess[options.hosts()];
    for (int i = 0; i < options.hosts(); i++) {
      ports.add(LocalHosts.freePort());
    }
  }

  @Override
  public List<Integer> slots() {
    return ports;
  }

  @Override
  public void start() {
    for (int i = 0; i < hosts.length; i++) {
      hosts[i] = startHost("drill-host" + (i + 1), ports.get(i), variant);
    }
    for (ChildProcess h : hosts) {
      h.awaitLog("workers started", Duration.ofSeconds(90));
    }
  }

  private ChildProcess startHost(String name, int port, String variant) {
    Duration shutdown = options.shutdownTimeout();
    return ChildProcess.start(
        name,
        LocalHosts.hostEnv(
            temporalPort,
            queue,
            Map.of(
                "DRAINHOST_PORT",
                Integer.toString(port),
                "DRAINHOST_SHUTDOWN_TIMEOUT",
                shutdown.toMillis() + "ms",
                "DRAINHOST_STOP_TIMEOUT",
                shutdown.plusSeconds(4).toMillis() + "ms",
                "DRAINHOST_HANDOFF_MARGIN",
                "3s",
                "DRAINHOST_SAMPLES_VARIANT",
                variant)));
  }

  @Override
  public void replace(String round, int index) {
    long t0 = System.nanoTime();
    ChildProcess old = hosts[index];
    old.signal("TERM");
    int exit = old.awaitExit(options.shutdownTimeout().plusSeconds(10));
    long drainMs = (System.nanoTime() - t0) / 1_000_000;
    int handedOff = (int) DrainReports.number(old.output(), "handedOff").orElse(-1);
    report.handedOff += Math.max(0, handedOff);
    report.allExitedZero &= exit == 0;
    int port = ports.get(index);
    ChildProcess fresh = startHost("drill-host" + (index + 1), port, variant);
    fresh.awaitLog("workers started", Duration.ofSeconds(90));
    Drill.awaitHealthy(port, Duration.ofSeconds(30));
    long replacedMs = (System.nanoTime() - t0) / 1_000_000;
    hosts[index] = fresh;
    report.row(
        "restarted",
        String.format(
            "| %s | host%d (%s) | %d | %d | %d | %d |",
            round, index + 1, variant, drainMs, exit, handedOff, replacedMs));
  }

  @Override
  public void deploy() {
    long t0 = System.nanoTime();
    try (ChildProcess refused =
        startHost("drill-v2-breaking", LocalHosts.freePort(), "v2-breaking")) {
      int exit = refused.awaitExit(Duration.ofSeconds(90));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      boolean polled = refused.output().contains("workers started");
      Matcher failures = REPLAY_REPORT.matcher(refused.output());
      String gate = failures.find() ? failures.group() : "no replay report";
      report.deployAsExpected &= exit == 4 && !polled;
      report.row(
          "refused",
          String.format(
              "| deploy | v2-breaking (new task) | %d | %d | polled: %s | %s |",
              ms, exit, polled ? "yes" : "no", gate));
    }
    variant = "v2-patched";
    report.rolloutStartedAt = Instant.now();
    for (int i = 0; i < hosts.length; i++) {
      replace("deploy", i);
      ChildProcess.sleep(Duration.ofSeconds(2));
    }
  }

  @Override
  public void stopAll() {
    for (ChildProcess h : hosts) {
      if (h != null && h.alive()) {
        h.signal("TERM");
        h.awaitExit(Duration.ofSeconds(60));
      }
    }
  }

  @Override
  public void close() {
    for (ChildProcess h : hosts) {
      if (h != null) {
        h.close();
      }
    }
  }
}
