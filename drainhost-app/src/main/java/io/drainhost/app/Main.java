package io.drainhost.app;

import io.drainhost.DrainHost;
import io.drainhost.samples.Samples;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar drainhost.jar [serve | dev-server [--port N]]}. */
@Command(
    name = "drainhost",
    mixinStandardHelpOptions = true,
    subcommands = {Main.Serve.class, Main.DevServerCommand.class},
    version = "drainhost 0.1.0",
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

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = "Run the host with the sample workflows (the default).")
  static final class Serve implements Callable<Integer> {
    @Override
    public Integer call() {
      return DrainHost.builder()
          .registerWorkflowImplementationTypes(Samples.workflowTypes())
          .registerActivitiesImplementations(Samples.activities())
          .run();
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
