package io.drainhost.bench;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench-replay-pressure}: the replay gate under pressure. Running histories of a realistic
 * size are made once (BenchmarkWorkflow runs of {@code --events} events, and a few SleepWorkflow
 * runs), then hosts start one after another with a small heap, or pinned to one CPU, and each
 * gate's verdict, time and the host's peak resident memory are read. An unchanged build ({@code
 * v1}) must never be refused; a breaking one ({@code v2-breaking}) always.
 */
public final class ReplayPressureBenchmark {
  private static final Pattern REPORT =
      Pattern.compile(
          "replay report: state=(\\w+) checked=(\\d+) nondeterminism=(\\d+) replayError=(\\d+)"
              + " unknownType=(\\d+) fetchFailed=(\\d+) replayIncomplete=(\\d+) durationMs=(\\d+)");

  private static final Pattern TIMINGS = Pattern.compile("replay check timings: ([^\n]*)");

  /** The sample's SleepWorkflow runs that a breaking build trips over. */
  private static final int SLEEPS = 3;

  /** One setting the hosts start in: their heap, their CPUs, their build, how many starts. */
  public record Case(String maxHeap, Optional<String> cpus, String variant, int starts) {
    /** {@code 256m/v1/20}, {@code 256m/cpu0/v2-breaking/3}. */
    public static Case parse(String text) {
      String[] p = text.trim().split("/");
      if (p.length == 3) {
        return new Case(p[0], Optional.empty(), p[1], Integer.parseInt(p[2]));
      }
      if (p.length == 4 && p[1].startsWith("cpu")) {
        return new Case(p[0], Optional.of(p[1].substring(3)), p[2], Integer.parseInt(p[3]));
      }
      throw new IllegalArgumentException(
          "a case is heap/variant/starts or heap/cpuN/variant/starts, not " + text);
    }

    String label() {
      return variant + " build, -Xmx" + maxHeap + cpus.map(c -> ", taskset -c " + c).orElse("");
    }
  }

  private final TemporalServer.Kind server;
  private final int histories;
  private final int events;
  private final List<Case> cases;

  public ReplayPressureBenchmark(
      TemporalServer.Kind server, int histories, int events, List<Case> cases) {
    this.server = server;
    this.histories = histories;
    this.events = events;
    this.cases = List.copyOf(cases);
  }

  private record Gate(
      String state,
      int checked,
      String counts,
      long ms,
      double peakRssMiB,
      int exit,
      String timings) {}

  public int run() {
    int activities = RunningHistories.activitiesFor(events);
    String queue = "replay-pressure-" + UUID.randomUUID().toString().substring(0, 8);
    Map<Case, List<Gate>> results = new java.util.LinkedHashMap<>();
    try (TemporalServer temporal = TemporalServer.start(server)) {
      long t0 = System.nanoTime();
      RunningHistories.seed(temporal.port(), queue, histories, activities, SLEEPS);
      System.out.printf(
          "seeded %d runs of %d events and %d SleepWorkflow runs in %d ms%n",
          histories,
          RunningHistories.events(activities),
          SLEEPS,
          (System.nanoTime() - t0) / 1_000_000);
      HistoryHeap.measure(temporal.port(), queue + "-0", 5).print();
      for (Case c : cases) {
        List<Gate> gates = new ArrayList<>();
        for (int i = 1; i <= c.starts(); i++) {
          Gate g = start(temporal.port(), queue, c);
          gates.add(g);
          System.out.printf(
              "%s, start %d: %s checked=%d %s gate=%d ms peakRss=%.0f MiB exit=%d (%s)%n",
              c.label(),
              i,
              g.state(),
              g.checked(),
              g.counts(),
              g.ms(),
              g.peakRssMiB(),
              g.exit(),
              g.timings());
        }
        results.put(c, gates);
      }
      temporal.stop();
    }
    System.out.println();
    System.out.printf(
        "replay gate under pressure: %d runs of %d events (+%d SleepWorkflow), %s Temporal server,"
            + " %d cores%n",
        histories,
        RunningHistories.events(activities),
        SLEEPS,
        server.option(),
        Runtime.getRuntime().availableProcessors());
    System.out.println(
        "| setting | starts | verdicts | gate ms (median / max) | events/s (median) | peak RSS MiB"
            + " (median / max) | as expected |");
    System.out.println("|---|---:|---|---:|---:|---:|---|");
    boolean all = true;
    for (Map.Entry<Case, List<Gate>> e : results.entrySet()) {
      Case c = e.getKey();
      List<Gate> gates = e.getValue();
      boolean breaking = !c.variant().equals("v1");
      long refused = gates.stream().filter(g -> g.state().equals("failed")).count();
      List<Long> ms = gates.stream().map(Gate::ms).toList();
      List<Double> rss = gates.stream().map(Gate::peakRssMiB).toList();
      List<Double> rates =
          gates.stream()
              .filter(g -> g.ms() > 0)
              .map(g -> g.checked() * (double) RunningHistories.events(activities) / g.ms() * 1000)
              .toList();
      Map<String, Long> verdicts = new java.util.TreeMap<>();
      gates.forEach(g -> verdicts.merge(g.state(), 1L, Long::sum));
      boolean asExpected = breaking ? refused == gates.size() : refused == 0;
      all &= asExpected;
      System.out.printf(
          "| %s | %d | %s | %.0f / %d | %.0f | %.0f / %.0f | %s |%n",
          c.label(),
          gates.size(),
          verdicts,
          BenchSupport.median(ms),
          ms.stream().mapToLong(Long::longValue).max().orElse(0),
          rates.isEmpty() ? 0 : BenchSupport.median(rates),
          BenchSupport.median(rss),
          rss.stream().mapToDouble(Double::doubleValue).max().orElse(0),
          asExpected
              ? (breaking ? "yes: refused every time" : "yes: never refused")
              : (breaking ? "NO: a breaking build passed" : "NO: refused"));
    }
    return all ? 0 : 1;
  }

  private Gate start(int temporalPort, String queue, Case c) {
    Map<String, String> env = new HashMap<>();
    env.put("DRAINHOST_SAMPLES_VARIANT", c.variant());
    env.put("DRAINHOST_REPLAY_SAMPLE", Integer.toString(Math.max(histories, SLEEPS)));
    env.put("DRAINHOST_SHUTDOWN_TIMEOUT", "2s");
    env.put("DRAINHOST_STOP_TIMEOUT", "6s");
    List<String> command = new ArrayList<>();
    c.cpus().ifPresent(cpu -> command.addAll(List.of("taskset", "-c", cpu)));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + c.maxHeap());
    command.addAll(List.of("-jar", ChildProcess.jar().toString()));
    try (ChildProcess host =
        ChildProcess.exec(
            "pressure-" + c.variant(), LocalHosts.hostEnv(temporalPort, queue, env), command)) {
      String line = host.awaitLog("(replay report: .*)", Duration.ofSeconds(120));
      Matcher timings = TIMINGS.matcher(host.output());
      String spent = timings.find() ? timings.group(1) : "no timings";
      double rss = peakRssMiB(host.pid());
      Matcher m = REPORT.matcher(line);
      if (!m.find()) {
        throw new IllegalStateException("no replay report in: " + line);
      }
      int exit;
      if (m.group(1).equals("failed")) {
        exit = host.awaitExit(Duration.ofSeconds(30));
      } else {
        // The host must still be up, and polling, after the verdict.
        host.awaitLog("workers started", Duration.ofSeconds(30));
        host.signal("TERM");
        exit = host.awaitExit(Duration.ofSeconds(30));
      }
      return new Gate(
          m.group(1),
          Integer.parseInt(m.group(2)),
          "nondeterminism="
              + m.group(3)
              + " replayError="
              + m.group(4)
              + " fetchFailed="
              + m.group(6)
              + " replayIncomplete="
              + m.group(7),
          Long.parseLong(m.group(8)),
          rss,
          exit,
          spent);
    }
  }

  /** The process's peak resident memory ({@code VmHWM}). */
  private static double peakRssMiB(long pid) {
    try {
      for (String l :
          java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (java.io.IOException e) {
      return -1;
    }
    return -1;
  }
}
