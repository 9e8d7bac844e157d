package io.drainhost.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.testing.Container;
import io.drainhost.testing.ContainerEngine;
import io.drainhost.testing.DrainReports;
import io.drainhost.testing.EcsTaskDefinition;
import io.drainhost.testing.LocalHosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The drill's hosts as containers of the image, run from the task definition, each replaced as ECS
 * replaces a task in a rolling deployment: the new container starts on a second slot, HAProxy marks
 * it healthy, then the old one is stopped with the stop timeout (SIGTERM through the init, SIGKILL
 * after). The deploy replaces the host in the middle with an image whose build cannot replay the
 * running work: that container never turns healthy (its replay gate refuses it, exit 4), and the
 * replacement stops there, as ECS's circuit breaker stops a deployment whose tasks fail.
 */
final class ContainerFleet implements DrillFleet {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Drill.Options options;
  private final int temporalPort;
  private final String queue;
  private final Report report;
  private final ContainerEngine engine;
  private final EcsTaskDefinition task;
  private final String image;
  private final String breakingImage;
  private final List<Integer> slots = new ArrayList<>();
  private final Container[] hosts;
  private final int[] slotOf;
  private HaProxy lb;
  private int started;

  ContainerFleet(
      Drill.Options options,
      int temporalPort,
      String queue,
      Report report,
      ContainerEngine engine,
      EcsTaskDefinition task,
      String image,
      String breakingImage) {
    this.options = options;
    this.temporalPort = temporalPort;
    this.queue = queue;
    this.report = report;
    this.engine = engine;
    this.task = task;
    this.image = image;
    this.breakingImage = breakingImage;
    this.hosts = new Container[options.hosts()];
    this.slotOf = new int[options.hosts()];
    // Two target slots per host: a replacement registers beside the task it replaces.
    for (int i = 0; i < 2 * options.hosts(); i++) {
      slots.add(LocalHosts.freePort());
    }
  }

  @Override
  public List<Integer> slots() {
    return slots;
  }

  /** The load balancer whose view of health decides when a replacement counts as healthy. */
  void routedBy(HaProxy lb) {
    this.lb = lb;
  }

  @Override
  public void start() {
    for (int i = 0; i < hosts.length; i++) {
      slotOf[i] = 2 * i;
      hosts[i] = startContainer(image, slots.get(slotOf[i]));
    }
    for (Container c : hosts) {
      awaitLog(c, "workers started", Duration.ofSeconds(90));
    }
  }

  private Container startContainer(String image, int port) {
    Duration shutdown = options.shutdownTimeout();
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort);
    env.put("TEMPORAL_NAMESPACE", "default");
    env.put("DRAINHOST_TASK_QUEUE", queue);
    // The drill's short timeouts instead of the task definition's 25 s / 30 s.
    env.put("DRAINHOST_SHUTDOWN_TIMEOUT", shutdown.toMillis() + "ms");
    env.put("DRAINHOST_STOP_TIMEOUT", stopTimeout().toMillis() + "ms");
    Map<Integer, Integer> ports = new HashMap<>();
    List<Integer> containerPorts = task.containerPorts();
    ports.put(containerPorts.get(0), port);
    for (int p : containerPorts.subList(1, containerPorts.size())) {
      ports.put(p, LocalHosts.freePort());
    }
    return engine.start(
        task.runArguments(
            "drill-" + queue.substring(queue.length() - 8) + "-" + ++started,
            image,
            ports,
            // The local server takes no API key.
            Map.of("TEMPORAL_API_KEY", Optional.empty()),
            env));
  }

  private Duration stopTimeout() {
    return options.shutdownTimeout().plusSeconds(4);
  }

  @Override
  public void replace(String round, int index) {
    long t0 = System.nanoTime();
    int next = slotOf[index] % 2 == 0 ? slotOf[index] + 1 : slotOf[index] - 1;
    Container fresh = startContainer(image, slots.get(next));
    if (!awaitRouted(fresh, slots.get(next), Duration.ofSeconds(90))) {
      throw new IllegalStateException(
          "a replacement of the good image never turned healthy:\n" + fresh.stdout());
    }
    long healthyMs = (System.nanoTime() - t0) / 1_000_000;
    Container old = hosts[index];
    long t1 = System.nanoTime();
    old.stop(stopTimeout());
    long stopMs = (System.nanoTime() - t1) / 1_000_000;
    int exit = old.exitCode();
    int handedOff = (int) DrainReports.number(drainReport(old), "handedOff").orElse(-1);
    report.handedOff += Math.max(0, handedOff);
    report.allExitedZero &= exit == 0;
    old.close();
    hosts[index] = fresh;
    slotOf[index] = next;
    report.row(
        "replaced",
        String.format(
            "| %s | host%d (container) | %d | %d | %d | %d |",
            round, index + 1, stopMs, exit, handedOff, healthyMs));
  }

  @Override
  public void deploy() {
    int index = hosts.length / 2;
    int next = slotOf[index] % 2 == 0 ? slotOf[index] + 1 : slotOf[index] - 1;
    long t0 = System.nanoTime();
    try (Container breaking = startContainer(breakingImage, slots.get(next))) {
      boolean routed = awaitRouted(breaking, slots.get(next), Duration.ofSeconds(90));
      int exit = routed ? -1 : breaking.exitCode();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      boolean polled = breaking.stdout().contains("workers started");
      // ECS stops the deployment here: the old task keeps serving, no further one is replaced.
      report.deployAsExpected &= !routed && exit == 4 && !polled;
      report.row(
          "refused",
          String.format(
              "| deploy | host%d (breaking image) | %d | %d | healthy in HAProxy: %s, polled: %s"
                  + " | replacement stopped there |",
              index + 1, ms, exit, routed ? "yes" : "no", polled ? "yes" : "no"));
    }
  }

  /**
   * Waits until HAProxy marks the container's slot up (true), or the container exits first (false):
   * a replacement is healthy when the load balancer says so, as ECS waits for the target group.
   */
  private boolean awaitRouted(Container c, int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      // HAProxy's view, and the container's own: a slot's state may lag a container it replaced.
      if (lb.serverUp(port) && Drill.ready(port)) {
        return true;
      }
      if (!c.running()) {
        return false;
      }
      Drill.sleep(Duration.ofMillis(100));
    }
    throw new IllegalStateException("neither healthy nor exited within " + timeout);
  }

  private static void awaitLog(Container c, String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!c.stdout().contains(text)) {
      if (System.nanoTime() > deadline || !c.running()) {
        throw new IllegalStateException("no '" + text + "' in:\n" + c.stdout() + c.stderr());
      }
      Drill.sleep(Duration.ofMillis(200));
    }
  }

  /** The drain report's message, from the container's JSON log lines (empty when none). */
  private static String drainReport(Container c) {
    for (String line : c.stdout().lines().toList()) {
      try {
        String m = JSON.readTree(line).path("formattedMessage").asText("");
        if (m.startsWith("drain report:")) {
          return m;
        }
      } catch (Exception e) {
        // not a JSON line: counted by ContainerIT, not here
      }
    }
    return "";
  }

  @Override
  public void stopAll() {
    for (Container c : hosts) {
      if (c != null && c.running()) {
        c.stop(stopTimeout());
      }
    }
  }

  @Override
  public void close() {
    for (Container c : hosts) {
      if (c != null) {
        c.close();
      }
    }
  }
}
