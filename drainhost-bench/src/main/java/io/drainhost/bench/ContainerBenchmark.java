package io.drainhost.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.Container;
import io.drainhost.testing.ContainerEngine;
import io.drainhost.testing.EcsTaskDefinition;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code bench-container}: what a task costs to start and stop, in turns in one run against one
 * Temporal server: the image run from the task definition (with its class-data-sharing archive, and
 * without it), beside the jar on the host with the same JVM options and the task's one CPU. Start →
 * ready ({@code /health} 200, after the replay gate) and start → first poll ({@code "polling":
 * "active"}), both read by probing every 20 ms from the moment the start is issued; idle stop →
 * exit (the engine's stop with the stop timeout; SIGTERM for the jar). Medians of the rounds.
 */
public final class ContainerBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PROBE = Duration.ofMillis(20);

  private final TemporalServer.Kind server;
  private final int rounds;
  private final Optional<String> image;
  private final Path context;

  public ContainerBenchmark(
      TemporalServer.Kind server, int rounds, Optional<String> image, Path context) {
    this.server = server;
    this.rounds = rounds;
    this.image = image;
    this.context = context;
  }

  /**
   * One start and stop: milliseconds to ready, to the first poll, and from the stop to exit; and
   * where the start went, from the host's {@code start done} line.
   */
  private record Timing(long readyMs, long pollMs, long stopMs, StartParts parts) {}

  /**
   * The JVM's time before the host's start sequence (its boot, class loading, the configuration and
   * the parts built), and each start step's; the rest of start → ready is the engine's and the
   * probe's.
   */
  record StartParts(long jvmBeforeMs, Map<String, Long> stepsMs) {
    private static final java.util.regex.Pattern LINE =
        java.util.regex.Pattern.compile("start done: .*?jvmBeforeMs=(\\d+) stepsMs=\\{([^}]*)}");

    static StartParts of(String output) {
      java.util.regex.Matcher m = LINE.matcher(output);
      if (!m.find()) {
        throw new IllegalStateException("no start done line in:\n" + output);
      }
      Map<String, Long> steps = new java.util.LinkedHashMap<>();
      for (String step : m.group(2).split(", ")) {
        String[] kv = step.split("=");
        steps.put(kv[0], Long.parseLong(kv[1]));
      }
      return new StartParts(Long.parseLong(m.group(1)), steps);
    }

    long stepsTotal() {
      return stepsMs.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  public int run() {
    Optional<ContainerEngine> found = ContainerEngine.find();
    if (found.isEmpty()) {
      System.err.println("drainhost bench-container: no container engine (podman or docker)");
      return 2;
    }
    ContainerEngine engine = found.get();
    String tag =
        image.orElseGet(
            () ->
                ImageBuild.build(
                    engine,
                    context,
                    "localhost/drainhost-bench:" + UUID.randomUUID().toString().substring(0, 8)));
    EcsTaskDefinition task = EcsTaskDefinition.read(context.resolve("ecs/task-definition.json"));
    List<String> entrypoint = engine.entrypoint(tag);
    List<String> withoutArchive =
        entrypoint.stream().filter(a -> !a.startsWith("-XX:SharedArchiveFile")).toList();
    List<Timing> archive = new ArrayList<>();
    List<Timing> noArchive = new ArrayList<>();
    List<Timing> jar = new ArrayList<>();
    try (TemporalServer temporal = TemporalServer.start(server)) {
      for (int round = 1; round <= rounds; round++) {
        Timing a = container(engine, task, tag, Optional.empty(), temporal.port());
        Timing n = container(engine, task, tag, Optional.of(withoutArchive), temporal.port());
        Timing j = jar(entrypoint, temporal.port());
        archive.add(a);
        noArchive.add(n);
        jar.add(j);
        System.out.printf(
            "round %d: image %s / image without the archive %s / jar on the host %s%n",
            round, a, n, j);
      }
      temporal.stop();
    }
    String imageSize =
        engine
            .run(Duration.ofSeconds(30), "image", "inspect", "--format", "{{.Size}}", tag)
            .stdout()
            .strip();
    long jarBytes;
    try {
      jarBytes = Files.size(ChildProcess.jar());
    } catch (java.io.IOException e) {
      jarBytes = -1;
    }
    System.out.println();
    System.out.printf(
        "start and stop of one task, %s Temporal server, median of %d rounds (%d cores here; the"
            + " task definition's CPU and memory for the containers, taskset to one CPU for the"
            + " jar)%n",
        server.option(), rounds, Runtime.getRuntime().availableProcessors());
    System.out.println(
        "| subject | size MB | start → ready ms | start → first poll ms | idle stop → exit ms |");
    System.out.println("|---|---:|---:|---:|---:|");
    row("image (with its CDS archive)", Long.parseLong(imageSize) / 1_000_000.0, archive);
    row("image without the archive", Long.parseLong(imageSize) / 1_000_000.0, noArchive);
    row("jar on the host", jarBytes / 1_000_000.0, jar);
    System.out.println();
    System.out.println("where a start goes, median ms (the host's start done line):");
    System.out.println(
        "| subject | JVM before the host's start | start steps | the slowest steps | the rest to"
            + " ready (engine, gate, probe) |");
    System.out.println("|---|---:|---:|---|---:|");
    parts("image (with its CDS archive)", archive);
    parts("image without the archive", noArchive);
    parts("jar on the host", jar);
    System.out.printf(
        "the archive: start → ready %.2f× of without (median of the per-round ratios)%n",
        BenchSupport.median(
            java.util.stream.IntStream.range(0, rounds)
                .mapToObj(i -> (double) archive.get(i).readyMs() / noArchive.get(i).readyMs())
                .toList()));
    return 0;
  }

  private static void row(String subject, double sizeMb, List<Timing> t) {
    System.out.printf(
        "| %s | %.0f | %.0f | %.0f | %.0f |%n",
        subject,
        sizeMb,
        BenchSupport.median(t.stream().map(Timing::readyMs).toList()),
        BenchSupport.median(t.stream().map(Timing::pollMs).toList()),
        BenchSupport.median(t.stream().map(Timing::stopMs).toList()));
  }

  private static void parts(String subject, List<Timing> t) {
    Map<String, Long> medians = new java.util.TreeMap<>();
    for (String step : t.get(0).parts().stepsMs().keySet()) {
      medians.put(
          step,
          (long)
              BenchSupport.median(
                  t.stream().map(x -> x.parts().stepsMs().getOrDefault(step, 0L)).toList()));
    }
    String top =
        medians.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(3)
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(java.util.stream.Collectors.joining(", "));
    double jvm = BenchSupport.median(t.stream().map(x -> x.parts().jvmBeforeMs()).toList());
    double steps = BenchSupport.median(t.stream().map(x -> x.parts().stepsTotal()).toList());
    double rest =
        BenchSupport.median(
            t.stream()
                .map(x -> x.readyMs() - x.parts().jvmBeforeMs() - x.parts().stepsTotal())
                .toList());
    System.out.printf("| %s | %.0f | %.0f | %s | %.0f |%n", subject, jvm, steps, top, rest);
  }

  private Timing container(
      ContainerEngine engine,
      EcsTaskDefinition task,
      String image,
      Optional<List<String>> entrypoint,
      int temporalPort) {
    int port = LocalHosts.freePort();
    Map<Integer, Integer> ports = new HashMap<>();
    List<Integer> containerPorts = task.containerPorts();
    ports.put(containerPorts.get(0), port);
    containerPorts
        .subList(1, containerPorts.size())
        .forEach(p -> ports.put(p, LocalHosts.freePort()));
    List<String> args = new ArrayList<>();
    if (entrypoint.isPresent()) {
      try {
        args.addAll(List.of("--entrypoint", JSON.writeValueAsString(entrypoint.get())));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    args.addAll(
        task.runArguments(
            "bench-" + UUID.randomUUID().toString().substring(0, 8),
            image,
            ports,
            Map.of("TEMPORAL_API_KEY", Optional.empty()),
            Map.of(
                "TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort,
                "TEMPORAL_NAMESPACE", "default",
                "DRAINHOST_TASK_QUEUE", "bench-container-" + UUID.randomUUID())));
    long t0 = System.nanoTime();
    try (Container c = engine.start(args)) {
      long[] up = awaitUp(port, t0);
      Duration stop = c.stop(task.stopTimeout());
      if (c.exitCode() != 0) {
        throw new IllegalStateException(
            "the container exited " + c.exitCode() + ":\n" + c.stdout());
      }
      return new Timing(up[0], up[1], stop.toMillis(), StartParts.of(c.stdout()));
    }
  }

  private Timing jar(List<String> entrypoint, int temporalPort) {
    int port = LocalHosts.freePort();
    List<String> command = new ArrayList<>(List.of("taskset", "-c", "0"));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The image's JVM options, but its archive (which belongs to the image's JVM).
    entrypoint.stream()
        .skip(1)
        .filter(a -> a.startsWith("-X") && !a.startsWith("-XX:SharedArchiveFile"))
        .forEach(command::add);
    command.addAll(List.of("-jar", ChildProcess.jar().toString()));
    Map<String, String> env = new HashMap<>();
    env.put("DRAINHOST_PORT", Integer.toString(port));
    env.put("DRAINHOST_LOG_FORMAT", "json");
    long t0 = System.nanoTime();
    try (ChildProcess p =
        ChildProcess.exec(
            "bench-jar",
            LocalHosts.hostEnv(temporalPort, "bench-container-" + UUID.randomUUID(), env),
            command)) {
      long[] up = awaitUp(port, t0);
      long t1 = System.nanoTime();
      p.signal("TERM");
      int exit = p.awaitExit(Duration.ofSeconds(30));
      if (exit != 0) {
        throw new IllegalStateException("the jar exited " + exit + ":\n" + p.tail());
      }
      return new Timing(
          up[0], up[1], (System.nanoTime() - t1) / 1_000_000, StartParts.of(p.output()));
    }
  }

  /** Milliseconds from {@code t0} to ready, and to polling, probing {@code /health} every 20 ms. */
  private static long[] awaitUp(int port, long t0) {
    long ready = -1;
    long poll = -1;
    long deadline = t0 + Duration.ofSeconds(90).toNanos();
    while (ready < 0 || poll < 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not ready and polling within 90 s on port " + port);
      }
      try {
        HttpResponse<String> r =
            BenchSupport.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        long at = (System.nanoTime() - t0) / 1_000_000;
        if (ready < 0 && r.statusCode() == 200) {
          ready = at;
        }
        if (poll < 0 && "active".equals(JSON.readTree(r.body()).path("polling").asText())) {
          poll = at;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      ChildProcess.sleep(PROBE);
    }
    return new long[] {ready, poll};
  }
}
