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
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code bench-footprint}: idle resident memory of drainhost against a plain SDK worker with the
 * same workflows, both against a separate Temporal server, same JVM flags, measured in turns in one
 * run. RSS is read from {@code /proc/<pid>/status} once each process has been idle a while.
 */
public final class FootprintBenchmark {
  private final TemporalServer.Kind server;
  private final int rounds;
  private final Duration settle;
  private final String maxHeap;

  public FootprintBenchmark(
      TemporalServer.Kind server, int rounds, Duration settle, String maxHeap) {
    this.server = server;
    this.rounds = rounds;
    this.settle = settle;
    this.maxHeap = maxHeap;
  }

  public int run() {
    List<Double> plain = new ArrayList<>();
    List<Double> drainhost = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    try (TemporalServer temporal = TemporalServer.start(server)) {
      for (int round = 1; round <= rounds; round++) {
        double p = idleRssMiB(true, temporal.port());
        double d = idleRssMiB(false, temporal.port());
        plain.add(p);
        drainhost.add(d);
        ratios.add(d / p);
        System.out.printf("round %d: plain worker %.0f MiB, drainhost %.0f MiB%n", round, p, d);
      }
      temporal.stop();
    }
    System.out.println();
    System.out.printf(
        "idle RSS %d s after the workers started, %s Temporal server, JVM flags of both: %s,"
            + " median of %d rounds (%d cores, %d MiB of memory)%n",
        settle.toSeconds(),
        server.option(),
        "default".equals(maxHeap) ? "none (the JVM's default heap sizing)" : "-Xmx" + maxHeap,
        rounds,
        Runtime.getRuntime().availableProcessors(),
        totalMemoryMiB());
    System.out.println("| subject | idle RSS MiB |");
    System.out.println("|---|---:|");
    System.out.printf(
        "| plain SDK worker | %.0f |%n| drainhost | %.0f |%n",
        BenchSupport.median(plain), BenchSupport.median(drainhost));
    System.out.printf(
        "drainhost / plain worker: %.2f× (median of the per-round ratios)%n",
        BenchSupport.median(ratios));
    return 0;
  }

  private double idleRssMiB(boolean plainWorker, int temporalPort) {
    Map<String, String> env =
        LocalHosts.hostEnv(temporalPort, "footprint-" + UUID.randomUUID(), Map.of());
    try (ChildProcess p =
        plainWorker
            ? ChildProcess.startJar(BenchJar.path(), maxHeap, "plain", env, "plain-worker")
            : ChildProcess.startJar(ChildProcess.jar(), maxHeap, "drainhost", env)) {
      p.awaitLog("workers started", Duration.ofSeconds(60));
      ChildProcess.sleep(settle);
      double rss = rssMiB(p.pid());
      p.signal("TERM");
      p.awaitExit(Duration.ofSeconds(30));
      return rss;
    }
  }

  private static long totalMemoryMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException e) {
      // reported as 0
    }
    return 0;
  }

  static double rssMiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
      throw new IllegalStateException("no VmRSS for " + pid);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
