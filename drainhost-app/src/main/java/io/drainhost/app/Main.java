package io.drainhost.app;

import io.drainhost.DrainHost;
import io.drainhost.DrainHostBuilder;
import io.drainhost.config.ConfigException;
import io.drainhost.config.ConfigLoader;
import io.drainhost.config.HostConfig;
import io.drainhost.lifecycle.ExitCode;
import io.drainhost.samples.Samples;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar drainhost.jar [serve | replay-check [options] | dev-server [--port N]]}. */
@Command(
    name = "drainhost",
    mixinStandardHelpOptions = true,
    subcommands = {Main.Serve.class, Main.ReplayCheckCommand.class, Main.DevServerCommand.class},
    version = "drainhost 0.1.0",
    description = "Graceful-drain host for Temporal Java workers on AWS ECS.")
public final class Main implements Callable<Integer> {
  public static void main(String[] args) {
    if (args.length == 0 || (args.length == 1 && args[0].equals("serve"))) {
      // Every task's start (the image's command) goes straight to the host: picocli's classes are
      // Java 5 bytecode, which class-data sharing cannot archive, so building its command model
      // loads and verifies ~170 classes from the jar on every start, on a task's one CPU.
      System.exit(serve());
    }
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** {@code serve}, as picocli would run it: an exception is printed and exits 1. */
  private static int serve() {
    try {
      return new Serve().call();
    } catch (RuntimeException e) {
      e.printStackTrace();
      return CommandLine.ExitCode.SOFTWARE;
    }
  }

  /** No subcommand: serve. */
  @Override
  public Integer call() {
    return new Serve().call();
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = "Run the host with the sample workflows (the default).")
  static final class Serve implements Callable<Integer> {
    @Override
    public Integer call() {
      DrainHostBuilder host = samples();
      return host == null ? ExitCode.INVALID_CONFIGURATION.code() : host.run();
    }
  }

  /**
   * The sample workflows of {@code DRAINHOST_SAMPLES_VARIANT}, or null after printing why the
   * variable is invalid.
   */
  static DrainHostBuilder samples() {
    Samples.Variant variant;
    try {
      variant = Samples.Variant.parse(System.getenv(Samples.Variant.VARIABLE));
    } catch (IllegalArgumentException e) {
      System.err.println("drainhost: invalid configuration: " + e.getMessage());
      return null;
    }
    return DrainHost.builder()
        .registerWorkflowImplementationTypes(
            Samples.workflowTypes(
                variant, !System.getenv().getOrDefault("DRAINHOST_DEPLOYMENT_NAME", "").isBlank()))
        .registerActivitiesImplementations(Samples.activities());
  }

  @Command(
      name = "replay-check",
      mixinStandardHelpOptions = true,
      description = {
        "Replay the newest running histories of every sample workflow type against this build"
            + " (DRAINHOST_SAMPLES_VARIANT), as the host's replay gate does before its first poll.",
        "Temporal from Temporal's environment configuration (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,"
            + " ...) unless given here; sample and timeout from DRAINHOST_REPLAY_SAMPLE and"
            + " DRAINHOST_REPLAY_TIMEOUT.",
        "Exit codes: 0 every run replayed, 4 runs this build cannot take over, 1 could not check"
            + " (no TEMPORAL_ADDRESS, or Temporal did not answer), 2 invalid arguments or"
            + " configuration."
      })
  static final class ReplayCheckCommand implements Callable<Integer> {
    @Option(names = "--address", description = "Temporal's host:port (else TEMPORAL_ADDRESS)")
    String address;

    @Option(names = "--namespace", description = "the namespace (else TEMPORAL_NAMESPACE)")
    String namespace;

    @Option(
        names = "--task-queue",
        description = "the default task queue (else DRAINHOST_TASK_QUEUE)")
    String taskQueue;

    @Override
    public Integer call() {
      Map<String, String> env = new HashMap<>(System.getenv());
      if (address != null) {
        env.put("TEMPORAL_ADDRESS", address);
      }
      if (namespace != null) {
        env.put("TEMPORAL_NAMESPACE", namespace);
      }
      if (taskQueue != null) {
        env.put("DRAINHOST_TASK_QUEUE", taskQueue);
      }
      HostConfig config;
      try {
        config = ConfigLoader.load(env);
      } catch (ConfigException e) {
        e.problems().forEach(p -> System.err.println("drainhost: invalid configuration: " + p));
        return ExitCode.INVALID_CONFIGURATION.code();
      }
      DrainHostBuilder host = samples();
      return host == null
          ? ExitCode.INVALID_CONFIGURATION.code()
          : host.config(config).replayCheck();
    }
  }

  @Command(
      name = "dev-server",
      mixinStandardHelpOptions = true,
      description = "Run only the embedded Temporal dev server on 127.0.0.1.")
  static final class DevServerCommand implements Callable<Integer> {
    @Option(
        names = "--port",
        defaultValue = "7233",
        description = "gRPC port (default ${DEFAULT-VALUE})")
    int port;

    @Override
    public Integer call() throws Exception {
      if (port < 0 || port > 65535) {
        System.err.println("drainhost: --port=" + port + ": must be from 0 to 65535");
        return ExitCode.INVALID_CONFIGURATION.code();
      }
      DevServer server;
      try {
        server = DevServer.start(port);
      } catch (java.io.IOException e) {
        LoggerFactory.getLogger(Main.class).error("{}", e.getMessage());
        return ExitCode.FAILED.code();
      }
      CountDownLatch stop = new CountDownLatch(1);
      for (String name : new String[] {"TERM", "INT"}) {
        sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> stop.countDown());
      }
      stop.await();
      server.close();
      return ExitCode.CLEAN.code();
    }
  }
}
