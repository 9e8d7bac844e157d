package io.drainhost.bench;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code bench-overhead}: workflows per second through drainhost against a plain Temporal worker,
 * same machine, same dev-server, same closed-loop client (16 clients starting a trivial
 * one-activity workflow and waiting for its result), alternating subjects to spread the noise.
 */
public final class OverheadBenchmark {
  private final int rounds;
  private final Duration duration;
  private final int clients;

  private final TemporalServer.Kind server;

  public OverheadBenchmark(TemporalServer.Kind server, int rounds, Duration duration, int clients) {
    this.server = server;
    this.rounds = rounds;
    this.duration = duration;
    this.clients = clients;
  }

  public int run() {
    List<Double> plain = new ArrayList<>();
    List<Double> drainhost = new ArrayList<>();
    try (TemporalServer dev = TemporalServer.start(server)) {
      int temporalPort = dev.port();
      for (int round = 1; round <= rounds; round++) {
        for (DrainBenchmark.Subject subject : DrainBenchmark.Subject.values()) {
          double rate = measure(subject, temporalPort);
          System.out.printf("round %d %-30s %.1f workflows/s%n", round, subject.label, rate);
          (subject == DrainBenchmark.Subject.PLAIN ? plain : drainhost).add(rate);
        }
      }
      dev.stop();
    }
    double p = BenchSupport.median(plain);
    double d = BenchSupport.median(drainhost);
    // Rounds run back to back, so the pair of one round shares that moment's machine noise.
    List<Double> paired = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      paired.add(drainhost.get(i) / plain.get(i));
    }
    System.out.println();
    System.out.printf(
        "trivial one-activity workflows end to end, %s Temporal server, %d closed-loop clients, %d cores, median of %d runs of %ds%n",
        server.option(),
        clients,
        Runtime.getRuntime().availableProcessors(),
        rounds,
        duration.toSeconds());
    System.out.println("| subject | workflows/s |");
    System.out.println("|---|---:|");
    System.out.printf("| plain worker | %.1f |%n| drainhost | %.1f |%n", p, d);
    System.out.printf(
        "drainhost keeps %.1f%% of the plain worker's throughput (median of the per-round ratios;"
            + " ratio of the medians %.1f%%)%n",
        100 * BenchSupport.median(paired), 100 * d / p);
    return 0;
  }

  private double measure(DrainBenchmark.Subject subject, int temporalPort) {
    String queue = "overhead-" + UUID.randomUUID();
    Map<String, String> env = LocalHosts.hostEnv(temporalPort, queue, Map.of());
    try (ChildProcess host =
        subject == DrainBenchmark.Subject.PLAIN
            ? BenchJar.start("plain", env, "plain-worker")
            : ChildProcess.start("drainhost", env)) {
      host.awaitLog("workers started", Duration.ofSeconds(60));
      // Warm-up: JIT and connections, not measured.
      quiet(Duration.ofSeconds(5), temporalPort, queue);
      BenchReport report = quiet(duration, temporalPort, queue);
      host.signal("TERM");
      host.awaitExit(Duration.ofSeconds(60));
      return report.completionsPerSecond();
    }
  }

  private BenchReport quiet(Duration d, int temporalPort, String queue) {
    WorkflowBenchmark.Options options =
        new WorkflowBenchmark.Options(
            BenchPattern.GREETING,
            0,
            d,
            Duration.ZERO,
            clients,
            1,
            1,
            0,
            null,
            null,
            null,
            Duration.ofSeconds(60),
            0);
    try (TemporalBenchDriver driver = new TemporalBenchDriver("127.0.0.1:" + temporalPort, queue)) {
      return new WorkflowBenchmark(options, driver).execute();
    }
  }
}
