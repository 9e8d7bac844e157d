package io.drainhost.bench;

import io.drainhost.testing.TemporalCli;
import io.drainhost.testing.TemporalServer;
import io.drainhost.time.Durations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The measuring subcommands of the jar: {@code bench}, {@code bench-drain}, {@code bench-overhead},
 * {@code bench-outage}, {@code bench-replay}, {@code drill}, and the hidden plain-worker baseline.
 */
public final class BenchCommands {
  private BenchCommands() {}

  /** {@code --server java|real}: which Temporal server a benchmark starts for its hosts. */
  public static final class ServerOption {
    @Option(
        names = "--server",
        defaultValue = "java",
        description =
            "java: the SDK's Java test server (the jar's dev-server); real: the Temporal"
                + " CLI's dev server, a real Temporal (needs the CLI: "
                + TemporalCli.INSTALL
                + ")")
    String server;

    /** The kind, or null after printing why the value is wrong. */
    TemporalServer.Kind kind(String command) {
      try {
        TemporalServer.Kind kind = TemporalServer.Kind.fromOption(server);
        if (kind == TemporalServer.Kind.TEMPORAL_CLI && TemporalCli.find().isEmpty()) {
          System.err.println("drainhost " + command + ": " + TemporalCli.missingAdvice());
          return null;
        }
        return kind;
      } catch (IllegalArgumentException e) {
        System.err.println("drainhost " + command + ": " + e.getMessage());
        return null;
      }
    }
  }

  @Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description =
          "Start workflows at a target rate and report throughput and latency percentiles.")
  public static final class Bench implements Callable<Integer> {
    @Option(
        names = "--target",
        description = "a running host's base URL, e.g. http://127.0.0.1:8080")
    String target;

    @Option(
        names = "--temporal",
        description = "start directly against Temporal at host:port instead of over HTTP")
    String temporal;

    @Option(
        names = "--task-queue",
        defaultValue = "drainhost",
        description = "task queue for --temporal")
    String taskQueue;

    @Option(
        names = "--pattern",
        defaultValue = "greeting",
        description =
            "greeting, sleep, multi-activity, timer or child-workflow (default ${DEFAULT-VALUE})")
    String pattern;

    @Option(
        names = "--rate",
        defaultValue = "10",
        description = "starts per second; 0 = closed loop")
    double rate;

    @Option(names = "--duration", defaultValue = "30s", description = "how long to start workflows")
    String duration;

    @Option(names = "--ramp-up", defaultValue = "5s", description = "linear ramp to the rate")
    String rampUp;

    @Option(
        names = "--concurrency",
        defaultValue = "64",
        description = "most workflows in flight at once")
    int concurrency;

    @Option(
        names = "--activity-seconds",
        defaultValue = "1",
        description = "sleep: activity length")
    int activitySeconds;

    @Option(
        names = "--activities",
        defaultValue = "3",
        description = "multi-activity, child-workflow: activities per run")
    int activities;

    @Option(
        names = "--millis",
        defaultValue = "100",
        description = "multi-activity, child-workflow: work per activity; timer: timer length")
    int millis;

    @Option(
        names = "--max-p99-latency",
        description = "exit 4 unless p99 end-to-end latency is at most this")
    String maxP99;

    @Option(
        names = "--min-throughput",
        description = "exit 4 unless completions per second reach this")
    Double minThroughput;

    @Option(names = "--json", description = "also write the report as JSON to this file")
    java.nio.file.Path json;

    @Option(
        names = "--completion-timeout",
        defaultValue = "120s",
        description = "wait this long for started workflows")
    String completionTimeout;

    @Option(
        names = "--metrics-port",
        defaultValue = "0",
        description = "serve the bench's own /metrics here (0 = off)")
    int metricsPort;

    @Override
    public Integer call() {
      WorkflowBenchmark.Options options;
      try {
        options =
            BenchCommand.options(
                pattern,
                rate,
                duration,
                rampUp,
                concurrency,
                activitySeconds,
                activities,
                millis,
                maxP99,
                minThroughput,
                json,
                completionTimeout,
                metricsPort);
      } catch (IllegalArgumentException e) {
        System.err.println("drainhost bench: " + e.getMessage());
        return 2;
      }
      return BenchCommand.run(options, target, temporal, taskQueue);
    }
  }

  @Command(
      name = "bench-drain",
      mixinStandardHelpOptions = true,
      description =
          "Measure SIGTERM-to-exit and hand-off: drainhost against a plain worker with a shutdown hook.")
  public static final class BenchDrain implements Callable<Integer> {
    @Option(
        names = "--idle-rounds",
        defaultValue = "5",
        description = "idle stops per subject (median)")
    int idleRounds;

    @Option(
        names = "--activities",
        defaultValue = "4",
        description = "activities in flight for the busy stop")
    int activities;

    @Option(
        names = "--activity-seconds",
        defaultValue = "10",
        description = "length of each busy activity")
    int activitySeconds;

    @Option(
        names = "--sigterm-at",
        defaultValue = "5s",
        description =
            "how long after the last busy activity started SIGTERM lands (a run whose catcher is"
                + " not ready by then is refused)")
    String sigtermAt;

    @Option(
        names = "--scenario",
        defaultValue = "standard",
        description =
            "standard: idle, busy and straggler stops; idle: idle stops only, in pairs, with the"
                + " ratio drainhost / plain worker; mixed: activities that fit and stragglers of"
                + " two types after a warm-up, 25 s shutdown timeout")
    String scenario;

    @Mixin ServerOption server;

    private java.time.Duration sigterm;

    private DrainBenchmark benchmark(TemporalServer.Kind kind) {
      return new DrainBenchmark(kind, idleRounds, activities, activitySeconds, sigterm);
    }

    @Override
    public Integer call() {
      TemporalServer.Kind kind = server.kind("bench-drain");
      if (kind == null) {
        return 2;
      }
      try {
        sigterm = Durations.parse(sigtermAt);
      } catch (IllegalArgumentException e) {
        System.err.println(
            "drainhost-bench bench-drain: --sigterm-at=" + sigtermAt + ": " + e.getMessage());
        return 2;
      }
      if (sigterm.toSeconds() >= activitySeconds) {
        System.err.println(
            "drainhost-bench bench-drain: --sigterm-at="
                + sigtermAt
                + " must be shorter than --activity-seconds="
                + activitySeconds
                + ": the activities must still run at SIGTERM");
        return 2;
      }
      switch (scenario) {
        case "standard":
          try {
            return benchmark(kind).run();
          } catch (DrainBenchmark.NotReported e) {
            System.err.println("drainhost-bench bench-drain: " + e.getMessage());
            return 1;
          }
        case "idle":
          return benchmark(kind).runIdle();
        case "mixed":
          return new MixedDrainBenchmark(kind).run();
        default:
          System.err.println(
              "drainhost-bench bench-drain: --scenario="
                  + scenario
                  + ": must be standard, idle or mixed");
          return 2;
      }
    }
  }

  @Command(
      name = "bench-overhead",
      mixinStandardHelpOptions = true,
      description =
          "Workflows per second through drainhost against a plain Temporal worker, in one run.")
  public static final class BenchOverhead implements Callable<Integer> {
    @Option(names = "--rounds", defaultValue = "3", description = "runs per subject (median)")
    int rounds;

    @Option(names = "--seconds", defaultValue = "20", description = "length of each measured run")
    int seconds;

    @Option(names = "--clients", defaultValue = "16", description = "closed-loop clients")
    int clients;

    @Mixin ServerOption server;

    @Override
    public Integer call() {
      TemporalServer.Kind kind = server.kind("bench-overhead");
      return kind == null
          ? 2
          : new OverheadBenchmark(kind, rounds, java.time.Duration.ofSeconds(seconds), clients)
              .run();
    }
  }

  @Command(
      name = "drill",
      mixinStandardHelpOptions = true,
      description =
          "Rolling restarts of N hosts behind HAProxy under load; fails if any work is lost.")
  public static final class DrillCommand implements Callable<Integer> {
    @Option(
        names = "--hosts",
        defaultValue = "3",
        description =
            "N drainhost processes (default ${DEFAULT-VALUE}), or `container` (3) /"
                + " `container:N`: containers of the image, run from ecs/task-definition.json and"
                + " replaced as ECS replaces tasks")
    String hosts;

    @Option(
        names = "--image",
        description = "with --hosts container: the image to run (default: built from --context)")
    String image;

    @Option(
        names = "--context",
        defaultValue = ".",
        description =
            "with --hosts container: the repository (its Dockerfile and ecs/), default the"
                + " current directory")
    String context;

    @Option(names = "--rounds", defaultValue = "2", description = "times every host is restarted")
    int rounds;

    @Option(names = "--rate", defaultValue = "8", description = "starts per second through HAProxy")
    double rate;

    @Option(
        names = "--short-seconds",
        defaultValue = "1",
        description = "length of the short SleepWorkflows")
    int shortSeconds;

    @Option(
        names = "--long-seconds",
        defaultValue = "12",
        description = "length of the long ones (outlive the drain)")
    int longSeconds;

    @Option(
        names = "--long-every",
        defaultValue = "10",
        description = "every n-th start is a long one")
    int longEvery;

    @Option(
        names = "--shutdown-timeout",
        defaultValue = "5s",
        description = "the hosts' DRAINHOST_SHUTDOWN_TIMEOUT")
    String shutdownTimeout;

    @Option(
        names = "--deploy",
        negatable = true,
        defaultValue = "true",
        fallbackValue = "true",
        description =
            "after the restarts, deploy new code: a v2-breaking task must be refused by the"
                + " replay gate (exit 4) while the fleet serves, then v2-patched rolls out host by"
                + " host (default on; --no-deploy for restarts only)")
    boolean deploy;

    @Mixin ServerOption server;

    @Override
    public Integer call() {
      TemporalServer.Kind kind = server.kind("drill");
      if (kind == null) {
        return 2;
      }
      boolean containers = hosts.startsWith("container");
      String count = containers ? hosts.replaceFirst("^container:?", "") : hosts;
      int n;
      try {
        n = count.isEmpty() ? 3 : Integer.parseInt(count);
      } catch (NumberFormatException e) {
        System.err.println(
            "drainhost drill: --hosts=" + hosts + ": must be N, container or container:N");
        return 2;
      }
      if (n < 2 || rounds < 1 || rate <= 0 || longEvery < 1) {
        System.err.println(
            "drainhost drill: need --hosts >= 2, --rounds >= 1, --rate > 0, --long-every >= 1");
        return 2;
      }
      return new Drill(
              new Drill.Options(
                  kind,
                  n,
                  rounds,
                  rate,
                  shortSeconds,
                  longSeconds,
                  longEvery,
                  Durations.parse(shutdownTimeout),
                  deploy,
                  containers,
                  java.util.Optional.ofNullable(image),
                  java.nio.file.Path.of(context)))
          .run();
    }
  }

  @Command(
      name = "bench-replay-pressure",
      mixinStandardHelpOptions = true,
      description =
          "The replay gate with realistic histories and a small heap or one CPU: its verdict,"
              + " time and the host's peak memory, start after start.")
  public static final class BenchReplayPressure implements Callable<Integer> {
    @Option(names = "--histories", defaultValue = "20", description = "running histories")
    int histories;

    @Option(names = "--events", defaultValue = "10001", description = "events in each history")
    int events;

    @Option(names = "--starts", defaultValue = "5", description = "hosts started in turn")
    int starts;

    @Option(names = "--max-heap", defaultValue = "256m", description = "each host's -Xmx")
    String maxHeap;

    @Option(names = "--cpus", description = "taskset's CPU list for each host (e.g. 0)")
    String cpus;

    @Option(
        names = "--variant",
        defaultValue = "v1",
        description = "the sample build the hosts run: v1 (unchanged) or v2-breaking")
    String variant;

    @Option(
        names = "--cases",
        split = ",",
        description =
            "several settings against the same histories, each heap/variant/starts or"
                + " heap/cpuN/variant/starts (e.g. 256m/v1/20,140m/v1/5,256m/cpu0/v2-breaking/3);"
                + " instead of --max-heap, --cpus, --variant and --starts")
    List<String> cases;

    @Mixin ServerOption server;

    @Override
    public Integer call() {
      TemporalServer.Kind kind = server.kind("bench-replay-pressure");
      if (kind == null) {
        return 2;
      }
      List<ReplayPressureBenchmark.Case> settings = new ArrayList<>();
      try {
        if (cases == null || cases.isEmpty()) {
          settings.add(
              new ReplayPressureBenchmark.Case(
                  maxHeap, java.util.Optional.ofNullable(cpus), variant, starts));
        } else {
          cases.forEach(c -> settings.add(ReplayPressureBenchmark.Case.parse(c)));
        }
      } catch (IllegalArgumentException e) {
        System.err.println("drainhost bench-replay-pressure: " + e.getMessage());
        return 2;
      }
      if (histories < 1
          || events < 5
          || settings.stream()
              .anyMatch(c -> c.starts() < 1 || !c.variant().matches("v1|v2-breaking"))) {
        System.err.println(
            "drainhost bench-replay-pressure: need --histories, starts >= 1, --events >= 5,"
                + " variants v1 or v2-breaking");
        return 2;
      }
      return new ReplayPressureBenchmark(kind, histories, events, settings).run();
    }
  }

  @Command(
      name = "bench-container",
      mixinStandardHelpOptions = true,
      description =
          "A task's start (to ready, to the first poll) and idle stop: the image run from the task"
              + " definition, with and without its CDS archive, beside the jar on the host.")
  public static final class BenchContainer implements Callable<Integer> {
    @Option(names = "--rounds", defaultValue = "5", description = "starts of each subject")
    int rounds;

    @Option(names = "--image", description = "the image to run (default: built from --context)")
    String image;

    @Option(
        names = "--context",
        defaultValue = ".",
        description = "the repository (its Dockerfile and ecs/), default the current directory")
    String context;

    @Mixin ServerOption server;

    @Override
    public Integer call() {
      TemporalServer.Kind kind = server.kind("bench-container");
      if (kind == null) {
        return 2;
      }
      if (rounds < 1) {
        System.err.println("drainhost bench-container: --rounds must be at least 1");
        return 2;
      }
      return new ContainerBenchmark(
              kind, rounds, java.util.Optional.ofNullable(image), java.nio.file.Path.of(context))
          .run();
    }
  }

  @Command(
      name = "bench-outage",
      mixinStandardHelpOptions = true,
      description =
          "Fail-fast latency and recovery time when Temporal dies and returns, against the plain SDK.")
  public static final class BenchOutage implements Callable<Integer> {
    @Option(
        names = "--outages",
        defaultValue = "10,60",
        split = ",",
        description = "outage lengths in seconds")
    java.util.List<Integer> outages;

    @Mixin ServerOption server;

    @Override
    public Integer call() {
      TemporalServer.Kind kind = server.kind("bench-outage");
      return kind == null ? 2 : new OutageBenchmark(kind, outages).run();
    }
  }

  @Command(
      name = "bench-replay",
      mixinStandardHelpOptions = true,
      description =
          "What the replay gate adds to a host's start: running histories replayed before the first"
              + " poll, with Temporal on loopback and 50 ms away, against starts without the gate.")
  public static final class BenchReplay implements Callable<Integer> {
    @Option(
        names = "--histories",
        defaultValue = "100",
        description = "running histories replayed, Temporal on loopback (default ${DEFAULT-VALUE})")
    int histories;

    @Option(
        names = "--far-histories",
        defaultValue = "20",
        description = "running histories replayed, Temporal 50 ms away (default ${DEFAULT-VALUE})")
    int farHistories;

    @Option(
        names = "--events",
        defaultValue = "53",
        description =
            "events in each running history: sequential activities of 6 events each, then a"
                + " one-hour timer (default ${DEFAULT-VALUE}: 8 activities; 10001: 1666)")
    int events;

    @Option(names = "--rounds", defaultValue = "3", description = "starts of each kind (median)")
    int rounds;

    @Mixin ServerOption server;

    @Override
    public Integer call() {
      TemporalServer.Kind kind = server.kind("bench-replay");
      if (kind == null) {
        return 2;
      }
      int activities = (events - 5) / 6;
      if (histories < 1
          || histories > 1000
          || farHistories < 1
          || farHistories > 1000
          || events < 5
          || events > 50_000
          || rounds < 1) {
        System.err.println(
            "drainhost bench-replay: need --histories and --far-histories from 1 to 1000,"
                + " --events from 5 to 50000, --rounds >= 1");
        return 2;
      }
      return new ReplayBenchmark(kind, histories, farHistories, activities, rounds).run();
    }
  }

  @Command(
      name = "bench-fleet-start",
      mixinStandardHelpOptions = true,
      description =
          "A release's hosts starting together against running histories on the real dev server:"
              + " the histories they fetch, each host's gate and start, a later host, a breaking"
              + " build (one replay per build).")
  public static final class BenchFleetStart implements Callable<Integer> {
    @Option(
        names = "--hosts",
        defaultValue = "5",
        description = "hosts of one build started at once (default ${DEFAULT-VALUE})")
    int hosts;

    @Option(
        names = "--histories",
        defaultValue = "20",
        description = "running histories to replay (default ${DEFAULT-VALUE})")
    int histories;

    @Option(
        names = "--events",
        defaultValue = "600",
        description = "events in each running history (default ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--logs", description = "a directory to keep each host's log in")
    Path logs;

    @Option(
        names = "--unshared",
        description = "also start the fleet unversioned, each host checking alone (the baseline)")
    boolean unshared;

    @Override
    public Integer call() {
      if (TemporalCli.find().isEmpty()) {
        System.err.println("drainhost bench-fleet-start: " + TemporalCli.missingAdvice());
        return 2;
      }
      if (hosts < 1 || hosts > 20 || histories < 1 || histories > 100 || events < 11) {
        System.err.println(
            "drainhost bench-fleet-start: need --hosts from 1 to 20, --histories from 1 to 100,"
                + " --events of 11 or more");
        return 2;
      }
      return new FleetStartBenchmark(hosts, histories, events, Optional.ofNullable(logs), unshared)
          .run();
    }
  }

  @Command(
      name = "bench-footprint",
      mixinStandardHelpOptions = true,
      description = "Idle resident memory: drainhost against a plain SDK worker, in one run.")
  public static final class BenchFootprint implements Callable<Integer> {
    @Option(
        names = "--rounds",
        defaultValue = "3",
        description = "measurements per subject (median)")
    int rounds;

    @Option(names = "--settle", defaultValue = "10s", description = "idle time before reading RSS")
    String settle;

    @Option(
        names = "--max-heap",
        defaultValue = "256m",
        description =
            "-Xmx of both subjects, e.g. 256m (a small ECS task); default: the JVM's own sizing")
    String maxHeap;

    @Mixin ServerOption server;

    @Override
    public Integer call() {
      TemporalServer.Kind kind = server.kind("bench-footprint");
      return kind == null
          ? 2
          : new FootprintBenchmark(kind, rounds, Durations.parse(settle), maxHeap).run();
    }
  }

  @Command(
      name = "bench-abuse",
      mixinStandardHelpOptions = true,
      description =
          "Hostile and heavy clients against one host (embedded Temporal, loopback): pattern"
              + " bombs, long polls, slow connections, malformed requests; /health p50/p99, CPU,"
              + " threads and RSS during each, beside the same figures idle.")
  public static final class BenchAbuse implements Callable<Integer> {
    @Option(names = "--long-polls", defaultValue = "2000", description = "concurrent waiters")
    int longPolls;

    @Option(names = "--slow", defaultValue = "500", description = "slow connections")
    int slow;

    @Option(names = "--slow-for", defaultValue = "10s", description = "how long they trickle")
    String slowFor;

    @Option(names = "--malformed", defaultValue = "10000", description = "malformed requests")
    int malformed;

    @Option(names = "--bomb", defaultValue = "65536", description = "a pattern bomb's length")
    int bomb;

    @Mixin ServerOption server;

    @Override
    public Integer call() {
      TemporalServer.Kind kind = server.kind("bench-abuse");
      return kind == null
          ? 2
          : new AbuseBenchmark(longPolls, slow, Durations.parse(slowFor), malformed, bomb)
              .run(kind);
    }
  }

  @Command(
      name = "plain-worker",
      mixinStandardHelpOptions = true,
      hidden = true,
      description = "The baseline of bench-drain.")
  public static final class PlainWorkerCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      String address = System.getenv().getOrDefault("TEMPORAL_ADDRESS", "127.0.0.1:7233");
      String queue = System.getenv().getOrDefault("DRAINHOST_TASK_QUEUE", "drainhost");
      return PlainWorker.run(address, queue, java.time.Duration.ofSeconds(25));
    }
  }
}
