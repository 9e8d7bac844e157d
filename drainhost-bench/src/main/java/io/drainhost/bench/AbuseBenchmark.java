package io.drainhost.bench;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.TemporalServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code bench-abuse}: one host (the jar, {@code -Xmx256m}, loopback) against a Temporal server of
 * its own process (the embedded one would count its own long-poll threads as the host's) under each
 * attack of the abuse suite in turn, bounded in count and time: for each, {@code /health} p50/p99,
 * failed health answers, the host's CPU seconds, its threads and RSS at peak, whether a fitting
 * activity finished, and the attack's own answers, beside the same figures idle.
 */
public final class AbuseBenchmark {
  private final int longPolls;
  private final int slowConnections;
  private final Duration slowFor;
  private final int malformed;
  private final int bombLength;

  public AbuseBenchmark(
      int longPolls, int slowConnections, Duration slowFor, int malformed, int bombLength) {
    this.longPolls = longPolls;
    this.slowConnections = slowConnections;
    this.slowFor = slowFor;
    this.malformed = malformed;
    this.bombLength = bombLength;
  }

  /** Starts the host the attacks aim at: this Temporal, JSON logs, an ephemeral port. */
  public static ChildProcess host(TemporalServer temporal, Map<String, String> extra) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("TEMPORAL_ADDRESS", temporal.address());
    env.put("DRAINHOST_TASK_QUEUE", "abuse-" + java.util.UUID.randomUUID());
    env.put("DRAINHOST_PORT", "0");
    env.put("DRAINHOST_BIND", "127.0.0.1");
    env.put("DRAINHOST_LOG_FORMAT", "json");
    env.putAll(extra);
    ChildProcess host = ChildProcess.start("abuse", env);
    host.awaitHttpPort();
    host.awaitLog("workers started", Duration.ofSeconds(90));
    return host;
  }

  /** Every attack in turn, idle first; their figures. */
  public List<Abuse.Figures> attacks(Abuse abuse) {
    List<Abuse.Figures> rows = new ArrayList<>();
    rows.add(abuse.measure("idle", abuse.idle(Duration.ofSeconds(5))));
    rows.add(
        abuse.measure(
            "pattern bombs, " + bombLength + " chars in every patterned field",
            abuse.patternBombs(bombLength)));
    rows.add(
        abuse.measure(
            longPolls + " long polls (?wait=60s)",
            abuse.longPolls(longPolls, Duration.ofSeconds(15))));
    rows.add(
        abuse.measure(
            slowConnections + " slow connections, " + slowFor.toSeconds() + " s",
            abuse.slowHeaders(slowConnections, slowFor)));
    rows.add(abuse.measure(malformed + " malformed requests", abuse.malformed(malformed)));
    return rows;
  }

  public int run(TemporalServer.Kind kind) {
    try (TemporalServer temporal = TemporalServer.start(kind);
        ChildProcess host = host(temporal, Map.of())) {
      Abuse abuse = new Abuse(host.awaitHttpPort(), host.pid());
      List<Abuse.Figures> rows = attacks(abuse);
      print(rows);
      host.signal("TERM");
      int exit = host.awaitExit(Duration.ofSeconds(60));
      System.out.println("host exit after the attacks: " + exit);
      return 0;
    }
  }

  static void print(List<Abuse.Figures> rows) {
    System.out.printf(
        "%nbench-abuse: one host, -Xmx256m, its Temporal in a process of its own, loopback (%d"
            + " cores)%n",
        Runtime.getRuntime().availableProcessors());
    System.out.println(
        "| attack | /health p50 ms | p99 ms | health failures | CPU s | threads peak | RSS peak"
            + " MiB | /metrics scrapes | fitting activity | its answers: median / slowest ms |"
            + " answers |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|");
    for (Abuse.Figures f : rows) {
      System.out.printf(
          "| %s | %.1f | %.1f | %d | %.1f | %d | %.0f | %d (%d failed) | %s | %.0f / %.0f | %s |%n",
          f.attack(),
          f.p50(),
          f.p99(),
          f.healthFailures(),
          f.cpuSeconds(),
          f.peakThreads(),
          f.peakRssMiB(),
          f.metricsScrapes(),
          f.metricsFailures(),
          f.activityFinished() ? "finished" : "NOT FINISHED",
          f.medianAnswerMillis(),
          f.slowestAnswerMillis(),
          f.answers());
    }
  }
}
