package io.drainhost.bench;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.DelayingProxy;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
      int events = seed(temporal.port(), near, histories);
      seed(temporal.port(), far, farHistories);
      all.add(measure("loopback", temporal.port(), near, histories));
      try (DelayingProxy proxy = DelayingProxy.start(temporal.port(), Duration.ofMillis(25))) {
        all.add(measure("50 ms away", proxy.port(), far, farHistories));
      }
      temporal.stop();
      System.out.println();
      System.out.printf(
          "replay gate: running BenchmarkWorkflow histories of %d events, %s Temporal server, %d"
              + " rounds (median; ratio = start with the gate / start without, pair by pair), %d"
              + " cores%n",
          events, server.option(), rounds, Runtime.getRuntime().availableProcessors());
      System.out.println(
          "| Temporal | histories replayed | gate ms | start→first poll with gate ms | without ms | ratio |");
      System.out.println("|---|---:|---:|---:|---:|---:|");
      boolean met = true;
      for (Figures f : all) {
        double gate = BenchSupport.median(f.gateMs());
        System.out.printf(
            "| %s | %d | %.0f | %.0f | %.0f | %.2f |%n",
            f.scenario(),
            f.checked(),
            gate,
            BenchSupport.median(f.withGateMs()),
            BenchSupport.median(f.withoutGateMs()),
            BenchSupport.median(f.ratios()));
        met &= gate < 2000;
      }
      System.out.println(met ? "goal met: the gate under 2 s in both" : "goal missed: 2 s");
      return 0;
    }
  }

  /** Starts {@code count} runs that stay open with ~6 events per activity; returns their length. */
  private int seed(int temporalPort, String queue, int count) {
    try (ChildProcess seeder =
        ChildProcess.start(
            "replay-seed",
            LocalHosts.hostEnv(temporalPort, queue, Map.of("DRAINHOST_REPLAY_GATE", "off")))) {
      int port = seeder.awaitHttpPort();
      seeder.awaitLog("workers started", Duration.ofSeconds(60));
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String id = queue + "-" + i;
        post(
            port,
            "{\"workflowType\":\"BenchmarkWorkflow\",\"workflowId\":\""
                + id
                + "\",\"input\":{\"pattern\":\"activities-then-wait\",\"activities\":"
                + activities
                + ",\"millis\":1}}");
        ids.add(id);
      }
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget("127.0.0.1:" + temporalPort)
                  .build());
      try {
        WorkflowClient client = WorkflowClient.newInstance(stubs);
        long expected = 6L * activities + 5;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long length = 0;
        for (String id : ids) {
          do {
            length =
                client
                    .newUntypedWorkflowStub(id)
                    .describe()
                    .getRawDescription()
                    .getWorkflowExecutionInfo()
                    .getHistoryLength();
            if (length < expected) {
              ChildProcess.sleep(Duration.ofMillis(100));
            }
          } while (length < expected && System.nanoTime() < deadline);
          if (length < expected) {
            throw new IllegalStateException(id + " reached only " + length + " events");
          }
        }
        seeder.signal("TERM");
        seeder.awaitExit(Duration.ofSeconds(30));
        return (int) length;
      } finally {
        stubs.shutdownNow();
      }
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

  private static void post(int port, String body) {
    try {
      HttpResponse<String> r =
          BenchSupport.HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/executions"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        throw new IllegalStateException("start refused: " + r.statusCode() + " " + r.body());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
