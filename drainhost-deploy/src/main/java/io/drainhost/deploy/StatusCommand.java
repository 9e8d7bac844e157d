package io.drainhost.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.deploy.pipeline.Releases;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Every version of the deployment and every service of it, failed releases included:"
          + " status, ramp, task queues polled, drainage, open pinned runs, ECS counts.",
      DeployMain.EXIT_CODES
    })
final class StatusCommand implements Callable<Integer> {
  @Mixin Connections connect;

  @Option(names = "--output", defaultValue = "table", description = "table or json")
  String output;

  @Option(names = "--dry-run", description = "accepted for symmetry: status changes nothing")
  boolean dryRun;

  @Override
  public Integer call() {
    if (!output.equals("table") && !output.equals("json")) {
      System.err.println("drainhost-deploy: --output " + output + ": table or json");
      return DeployException.USAGE;
    }
    return DeployMain.connected(
        connect,
        p -> {
          StatusReport report = StatusReport.of(p.temporal(), p.ecs());
          try {
            System.out.print(
                output.equals("json")
                    ? new ObjectMapper()
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsString(report.rows())
                        + "\n"
                    : report.table() + release(p));
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
          }
          return 0;
        });
  }

  /** The release that runs, beside the versions: where it is, or that it is paused. */
  private static String release(Parts p) {
    return new Releases(p, System.out, System.err)
        .running()
        .map(r -> "\nrelease running: " + r.describe() + "\n")
        .orElse("\nno release running\n");
  }
}
