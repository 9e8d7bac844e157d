package io.drainhost.deploy;

import io.drainhost.deploy.pipeline.Releases;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "abort",
    mixinStandardHelpOptions = true,
    description = {
      "Roll the deployment's running release back: before promotion its ramp ends, its gates are"
          + " terminated and its service goes to 0 once Temporal says it is idle; after promotion"
          + " (its rollback window) the version current before it is current again. Follows it to"
          + " its outcome (3: rolled back).",
      DeployMain.EXIT_CODES
    })
final class AbortCommand implements Callable<Integer> {
  @Mixin Connections connect;

  @Override
  public Integer call() {
    return DeployMain.connected(connect, p -> new Releases(p, System.out, System.err).abort());
  }
}
