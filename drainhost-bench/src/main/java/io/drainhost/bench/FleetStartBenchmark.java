package io.drainhost.bench;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench-fleet-start}: a release's hosts starting together share one replay check of their
 * build. Running histories are made first (BenchmarkWorkflow runs of about the given events, and
 * two SleepWorkflow runs for a breaking build to trip over). Then, on the real dev server: one host
 * of a build alone (the baseline: one gate); a fleet of hosts of another build started at once; two
 * new runs and one more host of that build; a breaking build on a fleet of hosts. Each host's start
 * to its first poll, its gate and the histories it fetched are printed, one line a host.
 */
public final class FleetStartBenchmark {
  private static final Pattern REPORT =
      Pattern.compile(
          "replay report: state=(\\w+) checked=(\\d+) fromRecord=(\\d+) .* durationMs=(\\d+)");
  private static final String DEPLOYMENT = "fleet-start";
  private static final int SLEEPS = 2;
  private static final int NEW_RUNS = 2;

  private final int hosts;
  private final int histories;
  private final int events;
  private final Optional<Path> logs;
  private final boolean unshared;

  /**
   * @param logs a directory for each host's log, named after the host
   * @param unshared also start the fleet unversioned, each host checking alone: the baseline
   */
  public FleetStartBenchmark(
      int hosts, int histories, int events, Optional<Path> logs, boolean unshared) {
    this.unshared = unshared;
    this.hosts = hosts;
    this.histories = histories;
    this.events = events;
    this.logs = logs;
  }

  /** One host's start: its process, the time to its first poll (or exit), its gate's report. */
  private record Start(
      String name,
      long readyMs,
      boolean polled,
      int exitCode,
      String state,
      int checked,
      int fromRecord,
      long gateMs) {
    String line() {
      return String.format(
          "%s: state=%s checked=%d fromRecord=%d gateMs=%d %s=%d ms",
          name,
          state,
          checked,
          fromRecord,
          gateMs,
          polled ? "startToReadyMs" : "startToRefusalMs",
          readyMs);
    }
  }

  public int run() {
    try (TemporalServer temporal = TemporalServer.start(TemporalServer.Kind.TEMPORAL_CLI)) {
      String queue = "fleet-start-" + UUID.randomUUID().toString().substring(0, 8);
      int activities = RunningHistories.activitiesFor(events);
      RunningHistories.seed(temporal.port(), queue, histories, activities, SLEEPS);
      int running = histories + SLEEPS;
      System.out.printf(
          "fleet start: %d running BenchmarkWorkflow histories of %d events and %d SleepWorkflow"
              + " runs on the real dev server, %d cores%n",
          histories,
          RunningHistories.events(activities),
          SLEEPS,
          Runtime.getRuntime().availableProcessors());

      Start alone = startTogether(temporal.port(), queue, "alone", "v1", 1, true).get(0);
      System.out.println("fleet start: one host alone: " + alone.line());
      // The same fleet's start without any gate: what starting this many JVMs at once costs here.
      List<Start> ungated = startTogether(temporal.port(), queue, "ungated", "v1", hosts, false);
      long ungatedSlowest = slowestStart(ungated);
      System.out.printf(
          "fleet start: %d hosts without a gate: slowest startToReadyMs=%d ms%n",
          hosts, ungatedSlowest);

      if (unshared) {
        List<Start> alone5 =
            startTogether(temporal.port(), queue, "", "v1", hosts, true, "unversioned");
        System.out.printf(
            "fleet start: %d unversioned hosts, each checking alone: histories fetched %d,"
                + " slowest startToReadyMs=%d ms%n",
            hosts, fetched(alone5), slowestStart(alone5));
      }
      List<Start> fleet = startTogether(temporal.port(), queue, "b1", "v1", hosts, true);
      fleet.forEach(s -> System.out.println("fleet start: fleet host " + s.line()));
      int fetched = fetched(fleet);
      long slowestGate = fleet.stream().mapToLong(Start::gateMs).max().orElse(0);
      System.out.printf(
          "fleet start: histories fetched by the %d hosts: %d; by one host alone: %d; ratio %.2f;"
              + " slowest gate %d ms against one gate alone %d ms; slowest start %d ms against"
              + " %d ms without a gate; %d of %d polled%n",
          hosts,
          fetched,
          alone.checked(),
          fetched / (double) Math.max(1, alone.checked()),
          slowestGate,
          alone.gateMs(),
          slowestStart(fleet),
          ungatedSlowest,
          polled(fleet),
          hosts);

      RunningHistories.seed(temporal.port(), queue, queue + "-later", NEW_RUNS, activities, 0);
      Start later = startTogether(temporal.port(), queue, "b1", "v1", 1, true, "b1-later").get(0);
      System.out.printf(
          "fleet start: a later host after %d new runs: %s%n", NEW_RUNS, later.line());

      List<Start> breaking =
          startTogether(temporal.port(), queue, "b2", "v2-breaking", hosts, true);
      breaking.forEach(s -> System.out.println("fleet start: breaking host " + s.line()));
      System.out.printf(
          "fleet start: breaking build on %d hosts: %d refused (exit 4), %d polled, %d histories"
              + " fetched%n",
          hosts, refused(breaking), polled(breaking), fetched(breaking));
      Start laterBreaking =
          startTogether(temporal.port(), queue, "b2", "v2-breaking", 1, true, "b2-later").get(0);
      System.out.printf(
          "fleet start: a later host of the breaking build: %s exit=%d%n",
          laterBreaking.line(), laterBreaking.exitCode());
      temporal.stop();
      System.out.println();
      System.out.printf(
          "| %d hosts of one build, %d running histories | value |%n", hosts, running);
      System.out.println("|---|---:|");
      System.out.printf("| one host alone: histories fetched | %d |%n", alone.checked());
      System.out.printf("| one host alone: gate ms | %d |%n", alone.gateMs());
      System.out.printf("| one host alone: start → first poll ms | %d |%n", alone.readyMs());
      System.out.printf(
          "| the same fleet without a gate: start → first poll ms, slowest | %d |%n",
          ungatedSlowest);
      System.out.printf("| the fleet: histories fetched, all hosts | %d |%n", fetched);
      System.out.printf(
          "| the fleet: gate ms, median / slowest | %.0f / %d |%n",
          BenchSupport.median(fleet.stream().map(Start::gateMs).toList()), slowestGate);
      System.out.printf(
          "| the fleet: start → first poll ms, median / slowest | %.0f / %d |%n",
          BenchSupport.median(fleet.stream().map(Start::readyMs).toList()), slowestStart(fleet));
      System.out.printf(
          "| a later host after %d new runs: histories fetched | %d |%n",
          NEW_RUNS, later.checked());
      System.out.printf(
          "| a later host of the breaking build: histories fetched, polled | %d, %s |%n",
          laterBreaking.checked(), laterBreaking.polled() ? "yes" : "no");
      System.out.printf(
          "| a breaking build: hosts refused / polled | %d / %d |%n",
          refused(breaking), polled(breaking));
      return 0;
    }
  }

  /** Histories the hosts fetched from Temporal, all together. */
  private static int fetched(List<Start> starts) {
    return starts.stream().mapToInt(Start::checked).sum();
  }

  private static long slowestStart(List<Start> starts) {
    return starts.stream().mapToLong(Start::readyMs).max().orElse(0);
  }

  private static long polled(List<Start> starts) {
    return starts.stream().filter(Start::polled).count();
  }

  /** Hosts that exited 4: their build refused. */
  private static long refused(List<Start> starts) {
    return starts.stream().filter(s -> s.exitCode() == 4).count();
  }

  /**
   * Starts {@code count} hosts of a build at once; each either polls (then leaves on SIGTERM) or
   * exits on its own (a refused build).
   */
  private List<Start> startTogether(
      int temporalPort, String queue, String build, String variant, int count, boolean gate) {
    return startTogether(temporalPort, queue, build, variant, count, gate, build);
  }

  private List<Start> startTogether(
      int temporalPort,
      String queue,
      String build,
      String variant,
      int count,
      boolean gate,
      String names) {
    Map<String, String> extra = new HashMap<>();
    if (!gate) {
      extra.put("DRAINHOST_REPLAY_GATE", "off");
    }
    if (!build.isEmpty()) {
      extra.put("DRAINHOST_DEPLOYMENT_NAME", DEPLOYMENT);
      extra.put("DRAINHOST_BUILD_ID", build);
    }
    extra.put("DRAINHOST_SAMPLES_VARIANT", variant);
    extra.put("DRAINHOST_REPLAY_SAMPLE", "100");
    List<CompletableFuture<Start>> starts = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String name = names + "-" + i;
      long t0 = System.nanoTime();
      ChildProcess host = ChildProcess.start(name, LocalHosts.hostEnv(temporalPort, queue, extra));
      starts.add(CompletableFuture.supplyAsync(() -> awaitStart(name, host, t0, gate)));
    }
    return starts.stream().map(CompletableFuture::join).toList();
  }

  private static void keep(Path dir, String name, String log) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(name + ".log"), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Start awaitStart(String name, ChildProcess host, long t0, boolean gate) {
    try (host) {
      boolean polled;
      try {
        host.awaitLog("workers started|verdict=refuse", Duration.ofSeconds(120));
      } catch (RuntimeException e) {
        throw new IllegalStateException(name + " neither polled nor exited: " + host.tail(), e);
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      polled = host.output().contains("workers started");
      int exit;
      if (polled) {
        host.signal("TERM");
      }
      exit = host.awaitExit(Duration.ofSeconds(60));
      logs.ifPresent(dir -> keep(dir, name, host.output()));
      Matcher m = REPORT.matcher(host.output());
      if (!m.find()) {
        if (!gate) {
          return new Start(name, ms, polled, exit, "off", 0, 0, 0);
        }
        throw new IllegalStateException(name + " reported no replay check: " + host.tail());
      }
      return new Start(
          name,
          ms,
          polled,
          exit,
          m.group(1),
          Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)),
          Long.parseLong(m.group(4)));
    }
  }
}
