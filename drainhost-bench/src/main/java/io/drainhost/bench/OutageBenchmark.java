package io.drainhost.bench;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import io.drainhost.testing.TemporalServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code bench-outage}: SIGKILL the Temporal dev server, keep sending starts, restart it, and
 * measure, for drainhost and for the plain SDK in the same outage: how fast a start fails while
 * Temporal is down, and how long after the server accepts connections again the first activity
 * runs.
 */
public final class OutageBenchmark {
  private final List<Integer> outageSeconds;

  private final TemporalServer.Kind server;

  public OutageBenchmark(TemporalServer.Kind server, List<Integer> outageSeconds) {
    this.server = server;
    this.outageSeconds = outageSeconds;
  }

  private record Row(
      int outage,
      int refused,
      double failFastMedianMs,
      double failFastMaxMs,
      double plainStartFailMs,
      double freshStartFailMs,
      double recoveryMs,
      double plainRecoveryMs) {}

  public int run() {
    List<Row> rows = new ArrayList<>();
    for (int seconds : outageSeconds) {
      System.out.printf("measuring a %d s outage ...%n", seconds);
      rows.add(measure(seconds));
    }
    System.out.println();
    System.out.printf(
        "%s Temporal server SIGKILLed for the outage, then restarted on the same port (%d cores)%n",
        server.option(), Runtime.getRuntime().availableProcessors());
    System.out.println(
        "| outage | drainhost: starts refused | 503 latency median / max"
            + " | plain WorkflowClient.start returns after (connected / fresh client)"
            + " | drainhost: first activity runs after | plain worker: first activity runs after |");
    System.out.println("|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      System.out.printf(
          "| %d s | %d | %.1f / %.1f ms | %.0f / %.0f ms | %.0f ms | %.0f ms |%n",
          r.outage(),
          r.refused(),
          r.failFastMedianMs(),
          r.failFastMaxMs(),
          r.plainStartFailMs(),
          r.freshStartFailMs(),
          r.recoveryMs(),
          r.plainRecoveryMs());
    }
    System.out.println(
        "(recovery times count from the moment the restarted server accepts TCP connections)");
    return 0;
  }

  private Row measure(int outageSeconds) {
    String hostQueue = "outage-host-" + UUID.randomUUID();
    String plainQueue = "outage-plain-" + UUID.randomUUID();
    TemporalServer dev = TemporalServer.start(server);
    int temporalPort = dev.port();
    try (ChildProcess host =
            ChildProcess.start(
                "outage-host", LocalHosts.hostEnv(temporalPort, hostQueue, Map.of()));
        ChildProcess plain =
            BenchJar.start(
                "outage-plain",
                LocalHosts.hostEnv(temporalPort, plainQueue, Map.of()),
                "plain-worker")) {
      int port = host.awaitHttpPort();
      host.awaitLog("workers started", Duration.ofSeconds(60));
      plain.awaitLog("workers started", Duration.ofSeconds(60));
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget("127.0.0.1:" + temporalPort)
                  .build());
      WorkflowClient client = WorkflowClient.newInstance(stubs);
      String warm = BenchSupport.startSleep(client, plainQueue, "warm-" + plainQueue, 0);
      BenchSupport.result(client, warm);

      dev.kill();
      long killed = System.nanoTime();
      // How long a plain client's start takes to return (fail, or succeed once the server is back).
      double[] plainFail = {Double.NaN, Double.NaN};
      Thread plainStart = timedStart(client, plainQueue, plainFail, 0);
      WorkflowClient fresh = newClient(temporalPort);
      Thread freshStart = timedStart(fresh, plainQueue, plainFail, 1);
      List<Long> refused = new ArrayList<>();
      while (System.nanoTime() - killed < Duration.ofSeconds(outageSeconds).toNanos()) {
        long t = System.nanoTime();
        int status = post(port, "{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":1}}");
        if (status == 503) {
          refused.add(System.nanoTime() - t);
        }
        ChildProcess.sleep(Duration.ofMillis(100));
      }

      dev.restartProcess();
      long up = awaitAccepting(temporalPort);
      long hostActivity = awaitHostActivity(port);
      // A client created now: the old one's own reconnect backoff is not the worker's recovery.
      WorkflowClient after = newClient(temporalPort);
      long plainActivity = awaitPlainActivity(after, plainQueue);
      joinQuietly(plainStart);
      joinQuietly(freshStart);
      stubs.shutdownNow();
      after.getWorkflowServiceStubs().shutdownNow();
      fresh.getWorkflowServiceStubs().shutdownNow();
      refused.sort(Long::compare);
      return new Row(
          outageSeconds,
          refused.size(),
          refused.isEmpty() ? Double.NaN : refused.get(refused.size() / 2) / 1e6,
          refused.isEmpty() ? Double.NaN : refused.get(refused.size() - 1) / 1e6,
          plainFail[0],
          plainFail[1],
          (hostActivity - up) / 1e6,
          (plainActivity - up) / 1e6);
    } finally {
      dev.close();
    }
  }

  private static WorkflowClient newClient(int temporalPort) {
    return WorkflowClient.newInstance(
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + temporalPort)
                .build()));
  }

  private static Thread timedStart(
      WorkflowClient client, String queue, double[] results, int slot) {
    Thread t =
        new Thread(
            () -> {
              ChildProcess.sleep(Duration.ofSeconds(1));
              long start = System.nanoTime();
              try {
                BenchSupport.startSleep(client, queue, "during-" + UUID.randomUUID(), 1);
              } catch (RuntimeException e) {
                // failed: the time is what we measure either way
              }
              results[slot] = (System.nanoTime() - start) / 1e6;
            });
    t.start();
    return t;
  }

  private static int post(int port, String body) {
    try {
      return BenchSupport.HTTP
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/executions"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static long awaitAccepting(int port) {
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return System.nanoTime();
      } catch (IOException e) {
        ChildProcess.sleep(Duration.ofMillis(5));
      }
    }
  }

  /** Starts through drainhost until one is accepted, then waits for its activity on the host. */
  private static long awaitHostActivity(int port) {
    String id = "after-" + UUID.randomUUID();
    while (post(
            port,
            "{\"workflowType\":\"SleepWorkflow\",\"workflowId\":\""
                + id
                + "\",\"input\":{\"seconds\":2}}")
        != 201) {
      ChildProcess.sleep(Duration.ofMillis(20));
    }
    while (BenchSupport.inflightAttempt(port, id) == 0) {
      ChildProcess.sleep(Duration.ofMillis(10));
    }
    return System.nanoTime();
  }

  private static long awaitPlainActivity(WorkflowClient client, String queue) {
    String id = "after-" + UUID.randomUUID();
    while (true) {
      try {
        client
            .newUntypedWorkflowStub(
                "SleepWorkflow",
                WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(id).build())
            .start(new io.drainhost.samples.SleepInput(2));
        break;
      } catch (RuntimeException e) {
        ChildProcess.sleep(Duration.ofMillis(20));
      }
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!BenchSupport.activityRunning(client, id) && System.nanoTime() < deadline) {
      ChildProcess.sleep(Duration.ofMillis(10));
    }
    return System.nanoTime();
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join(Duration.ofSeconds(60).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
