package io.drainhost.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar drainhost-bench.jar <bench | bench-drain | bench-overhead | bench-outage |
 * drill>}.
 */
@Command(
    name = "drainhost-bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      BenchCommands.Bench.class,
      BenchCommands.BenchDrain.class,
      BenchCommands.BenchOverhead.class,
      BenchCommands.BenchOutage.class,
      BenchCommands.BenchReplay.class,
      BenchCommands.BenchReplayPressure.class,
      BenchCommands.BenchFleetStart.class,
      BenchCommands.DrillCommand.class,
      BenchCommands.BenchFootprint.class,
      BenchCommands.BenchContainer.class,
      BenchCommands.BenchAbuse.class,
      BenchCommands.PlainWorkerCommand.class
    },
    version = "drainhost-bench 0.1.0",
    description = "Measure drainhost (target/drainhost.jar) against a plain Temporal worker.")
public final class BenchMain implements Callable<Integer> {
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 2;
  }
}
