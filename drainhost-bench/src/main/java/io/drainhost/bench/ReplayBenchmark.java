package io.drainhost.bench;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.DelayingProxy;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench-replay}: what the replay gate costs a host's start. Running histories of about 50
 * events are made first (a BenchmarkWorkflow runs its activities, then waits an hour); then hosts
 * start in turns with the gate and without it, and the time from process start to the first poll is
 * compared, pair by pair. Twice: Temporal on loopback with many histories, and Temporal 50 ms away
 * (a delaying proxy, 25 ms each way) with the default sample.
 */
public final class ReplayBenchmark {
  private static final Pattern GATE =
      Pattern.compile("replay report: state=(\\w+) checked=(\\d+) .* durationMs=(\\d+)");

  private final TemporalServer.Kind server;
  private final int histories;
  private final int farHistories;
  private final int activities;
  private final int rounds;

  public ReplayBenchmark(
      TemporalServer.Kind server, int histories, int farHistories, int activities, int rounds) {
    this.server = server;
    this.histories = histories;
    this.farHistories = farHistories;
    this.activities = activities;
    this.rounds = rounds;
  }

  /** One scenario's figures: the gate's own duration and the starts with and without it. */
  private record Figures(
      String scenario,
      int checked,
      List<Long> gateMs,
      List<Long> withGateMs,
      List<Long> withoutGateMs,
      List<Double> ratios) {}

  public int run() {
    List<Figures> all = new ArrayList<>();
    try (TemporalServer temporal = TemporalServer.start(server)) {
      String near = "replay-bench-" + UUID.randomUUID().toString().substring(0, 8);
      String far = near + "-far";
      RunningHistories.seed(temporal.port(), near, histories, activities, 0);
      RunningHistories.seed(temporal.port(), far, farHistories, activities, 0);
      long events = RunningHistories.events(activities);
      all.add(measure("loopback", temporal.port(), near, histories));
      try (DelayingProxy proxy = DelayingProxy.start(temporal.port(), Duration.ofMillis(25))) {
        all.add(measure("50 ms away", proxy.port(), far, farHistories));
      }
      temporal.stop();
      System.out.println();
      System.out.printf(
          "replay gate: running BenchmarkWorkflow histories of %d events, %s Temporal server, %d"
              + " rounds (median; ratio = start with the gate / start without, pair by pair; events/s ="
              + " events replayed / the gate's time), %d cores%n",
          events, server.option(), rounds, Runtime.getRuntime().availableProcessors());
      System.out.println(
          "| Temporal | histories replayed | events each | gate ms | events/s | start→first poll with gate ms | without ms | ratio |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
      for (Figures f : all) {
        double gate = BenchSupport.median(f.gateMs());
        System.out.printf(
            "| %s | %d | %d | %.0f | %.0f | %.0f | %.0f | %.2f |%n",
            f.scenario(),
            f.checked(),
            events,
            gate,
            f.checked() * (double) events / Math.max(1, gate) * 1000,
            BenchSupport.median(f.withGateMs()),
            BenchSupport.median(f.withoutGateMs()),
            BenchSupport.median(f.ratios()));
      }
      return 0;
    }
  }

  private Figures measure(String scenario, int temporalPort, String queue, int sample) {
    List<Long> gate = new ArrayList<>();
    List<Long> with = new ArrayList<>();
    List<Long> without = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    int checked = 0;
    for (int round = 1; round <= rounds; round++) {
      Map<String, String> on = new HashMap<>();
      on.put("DRAINHOST_REPLAY_SAMPLE", Integer.toString(sample));
      Start a = start(temporalPort, queue, on);
      Start b = start(temporalPort, queue, Map.of("DRAINHOST_REPLAY_GATE", "off"));
      Matcher m = GATE.matcher(a.output());
      if (!m.find() || !"passed".equals(m.group(1))) {
        throw new IllegalStateException("the gate did not pass: " + a.output());
      }
      checked = Integer.parseInt(m.group(2));
      gate.add(Long.parseLong(m.group(3)));
      with.add(a.ms());
      without.add(b.ms());
      ratios.add((double) a.ms() / b.ms());
      System.out.printf(
          "%s round %d: gate %s ms over %d histories; start→first poll %d ms with, %d ms without%n",
          scenario, round, m.group(3), checked, a.ms(), b.ms());
    }
    return new Figures(scenario, checked, gate, with, without, ratios);
  }

  private record Start(long ms, String output) {}

  private static Start start(int temporalPort, String queue, Map<String, String> extra) {
    long t0 = System.nanoTime();
    try (ChildProcess host =
        ChildProcess.start("replay-host", LocalHosts.hostEnv(temporalPort, queue, extra))) {
      host.awaitLog("workers started", Duration.ofSeconds(120));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      host.signal("TERM");
      host.awaitExit(Duration.ofSeconds(30));
      return new Start(ms, host.output());
    }
  }
}
