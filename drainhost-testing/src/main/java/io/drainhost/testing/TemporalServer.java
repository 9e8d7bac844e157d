package io.drainhost.testing;

import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Temporal server in a process of its own, for the process-level tests and the benchmarks: the
 * SDK's Java test server (the jar's {@code dev-server}) or a real Temporal server (the Temporal
 * CLI's {@code server start-dev}, in memory, headless). Started on a port, ready once it answers
 * {@code DescribeNamespace}, stopped by its process id.
 */
public final class TemporalServer implements AutoCloseable {
  /** The two servers drainhost is proven against. */
  public enum Kind {
    /** The SDK's Java test server: what `serve` embeds; no Schedules, no sticky-queue release. */
    JAVA_TEST_SERVER("java"),
    /** The Temporal CLI's dev server: the real server, in memory. */
    TEMPORAL_CLI("real");

    private final String option;

    Kind(String option) {
      this.option = option;
    }

    /** The name the benchmarks' {@code --server} option takes. */
    public String option() {
      return option;
    }

    public static Kind fromOption(String value) {
      for (Kind k : values()) {
        if (k.option.equals(value.toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw new IllegalArgumentException("--server=" + value + ": must be java or real");
    }
  }

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** Names dynamic-config values for every real server a test run starts. */
  public static final String DYNAMIC_CONFIG_VARIABLE = "DRAINHOST_TEMPORAL_DYNAMIC_CONFIG";

  private static final String JAVA_TEST_SERVER_HEAP = "1g";

  private final Kind kind;
  private final int port;
  private final Path database;
  private ChildProcess process;

  private final Map<String, String> dynamicConfig = new java.util.LinkedHashMap<>();

  private TemporalServer(Kind kind, int port, Path database) {
    this.kind = kind;
    this.port = port;
    this.database = database;
  }

  /** Starts a server of this kind on a free loopback port and waits until it serves. */
  public static TemporalServer start(Kind kind) {
    return start(kind, LocalHosts.freePort());
  }

  public static TemporalServer start(Kind kind, int port) {
    TemporalServer server = new TemporalServer(kind, port, null);
    server.launch();
    return server;
  }

  /**
   * Starts the real server with these dynamic-config values ({@code --dynamic-config-value
   * KEY=VALUE}), e.g. Worker Versioning's drainage intervals shortened so that a test sees drainage
   * in seconds. For tests only, never production settings.
   */
  public static TemporalServer startWithDynamicConfig(Map<String, String> values) {
    TemporalServer server = new TemporalServer(Kind.TEMPORAL_CLI, LocalHosts.freePort(), null);
    server.dynamicConfig.putAll(values);
    server.launch();
    return server;
  }

  /**
   * Starts the real server keeping its state in {@code database} (SQLite), so that a server killed
   * and restarted on the same port has its workflows, timers and schedules again.
   */
  public static TemporalServer startPersistent(Path database) {
    TemporalServer server = new TemporalServer(Kind.TEMPORAL_CLI, LocalHosts.freePort(), database);
    server.launch();
    return server;
  }

  private void launch() {
    launchProcess();
    try {
      awaitServing();
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
  }

  private void launchProcess() {
    process =
        switch (kind) {
          // The Java test server keeps every workflow's history in memory: a benchmark that
          // starts thousands would make a small heap thrash in GC and measure that instead.
          case JAVA_TEST_SERVER ->
              ChildProcess.startJar(
                  ChildProcess.jar(),
                  JAVA_TEST_SERVER_HEAP,
                  "dev-server",
                  Map.of(),
                  "dev-server",
                  "--port",
                  Integer.toString(port));
          case TEMPORAL_CLI -> ChildProcess.exec("temporal-cli", Map.of(), cliCommand());
        };
  }

  private List<String> cliCommand() {
    String cli =
        TemporalCli.find()
            .orElseThrow(() -> new IllegalStateException(TemporalCli.missingAdvice()))
            .toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                cli,
                "server",
                "start-dev",
                "--headless",
                "--ip",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--log-level",
                "error"));
    if (database != null) {
      command.add("--db-filename");
      command.add(database.toString());
    }
    Map<String, String> values = new java.util.LinkedHashMap<>(fromEnvironment());
    values.putAll(dynamicConfig);
    values.forEach(
        (k, v) -> {
          command.add("--dynamic-config-value");
          command.add(k + "=" + v);
        });
    return command;
  }

  /**
   * Dynamic-config values every real server of this test run gets: {@code
   * DRAINHOST_TEMPORAL_DYNAMIC_CONFIG=KEY=VALUE[,KEY=VALUE…]}, to run the real-server suites once
   * against a server configured otherwise (e.g. {@code
   * frontend.enableCancelWorkerPollsOnShutdown=true}, where the server completes outstanding polls
   * at a worker's shutdown).
   */
  public static Map<String, String> fromEnvironment() {
    String v = System.getenv(DYNAMIC_CONFIG_VARIABLE);
    Map<String, String> values = new java.util.LinkedHashMap<>();
    if (v == null || v.isBlank()) {
      return values;
    }
    for (String pair : v.split(",")) {
      String[] kv = pair.trim().split("=", 2);
      if (kv.length != 2 || kv[0].isBlank()) {
        throw new IllegalArgumentException(
            DYNAMIC_CONFIG_VARIABLE + "=" + v + ": each entry must be KEY=VALUE");
      }
      values.put(kv[0].trim(), kv[1].trim());
    }
    return values;
  }

  /**
   * Waits until the default namespace answers: the server takes workers and starts from then on.
   */
  private void awaitServing() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address()).build());
    try {
      while (true) {
        try {
          stubs
              .blockingStub()
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .describeNamespace(
                  DescribeNamespaceRequest.newBuilder().setNamespace("default").build());
          return;
        } catch (RuntimeException notYet) {
          if (!process.alive()) {
            throw new IllegalStateException(
                kind + " server exited before serving:\n" + process.tail());
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                kind + " server did not serve within " + READY_TIMEOUT + ":\n" + process.tail());
          }
          ChildProcess.sleep(Duration.ofMillis(100));
        }
      }
    } finally {
      stubs.shutdownNow();
      stubs.awaitTermination(1, TimeUnit.SECONDS);
    }
  }

  public Kind kind() {
    return kind;
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:port}, the value of a host's {@code TEMPORAL_ADDRESS}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL, as an outage: returns once the process is gone. */
  public void kill() {
    process.signal("KILL");
    process.awaitExit(Duration.ofSeconds(10));
  }

  /** SIGTERM; returns the exit code. */
  public int stop() {
    process.signal("TERM");
    return process.awaitExit(Duration.ofSeconds(20));
  }

  /** Starts the server again on the same port after {@link #kill()} or {@link #stop()}. */
  public void restart() {
    requireStopped();
    launch();
  }

  /** Like {@link #restart()} without waiting: for measuring how fast others notice the return. */
  public void restartProcess() {
    requireStopped();
    launchProcess();
  }

  private void requireStopped() {
    if (process.alive()) {
      throw new IllegalStateException("the server is still running");
    }
  }

  public String output() {
    return process.output();
  }

  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return kind.option() + "@" + address();
  }
}
