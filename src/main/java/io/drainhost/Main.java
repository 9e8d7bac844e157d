package io.drainhost;

import io.drainhost.samples.GreetingActivitiesImpl;
import io.drainhost.samples.GreetingWorkflowImpl;
import io.drainhost.samples.SleepActivitiesImpl;
import io.drainhost.samples.SleepWorkflowImpl;
import io.drainhost.temporal.DevServer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar drainhost.jar [serve | dev-server [--port N]]}. */
@Command(
    name = "drainhost",
    mixinStandardHelpOptions = true,
    subcommands = {
      Main.Serve.class,
      Main.DevServerCommand.class,
      Main.BenchDrain.class,
      Main.PlainWorkerCommand.class
    },
    description = "Graceful-drain host for Temporal Java workers on AWS ECS.")
public final class Main implements Callable<Integer> {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** No subcommand: serve. */
  @Override
  public Integer call() {
    return new Serve().call();
  }

  @Command(name = "serve", description = "Run the host with the sample workflows (the default).")
  static final class Serve implements Callable<Integer> {
    @Override
    public Integer call() {
      return DrainHost.builder()
          .registerWorkflowImplementationTypes(GreetingWorkflowImpl.class, SleepWorkflowImpl.class)
          .registerActivitiesImplementations(new GreetingActivitiesImpl(), new SleepActivitiesImpl())
          .run();
    }
  }

  @Command(
      name = "bench-drain",
      description = "Measure SIGTERM-to-exit and hand-off: drainhost against a plain worker with a shutdown hook.")
  static final class BenchDrain implements Callable<Integer> {
    @Option(names = "--idle-rounds", defaultValue = "5", description = "idle stops per subject (median)")
    int idleRounds;

    @Option(names = "--activities", defaultValue = "4", description = "activities in flight for the busy stop")
    int activities;

    @Option(names = "--activity-seconds", defaultValue = "6", description = "length of each busy activity")
    int activitySeconds;

    @Override
    public Integer call() {
      return new io.drainhost.bench.DrainBenchmark(idleRounds, activities, activitySeconds).run();
    }
  }

  @Command(name = "plain-worker", hidden = true, description = "The baseline of bench-drain.")
  static final class PlainWorkerCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      String address = System.getenv().getOrDefault("TEMPORAL_ADDRESS", "127.0.0.1:7233");
      String queue = System.getenv().getOrDefault("DRAINHOST_TASK_QUEUE", "drainhost");
      return io.drainhost.bench.PlainWorker.run(address, queue, java.time.Duration.ofSeconds(25));
    }
  }

  @Command(name = "dev-server", description = "Run only the embedded Temporal dev server on 127.0.0.1.")
  static final class DevServerCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "7233", description = "gRPC port (default ${DEFAULT-VALUE})")
    int port;

    @Override
    public Integer call() throws Exception {
      if (port < 0 || port > 65535) {
        System.err.println("drainhost: --port=" + port + ": must be from 0 to 65535");
        return 2;
      }
      DevServer server;
      try {
        server = DevServer.start(port);
      } catch (java.io.IOException e) {
        LoggerFactory.getLogger(Main.class).error("{}", e.getMessage());
        return 1;
      }
      CountDownLatch stop = new CountDownLatch(1);
      for (String name : new String[] {"TERM", "INT"}) {
        sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> stop.countDown());
      }
      stop.await();
      server.close();
      return 0;
    }
  }
}
