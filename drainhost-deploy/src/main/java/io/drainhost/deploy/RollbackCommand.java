package io.drainhost.deploy;

import io.drainhost.deploy.act.Actor;
import io.drainhost.deploy.workflow.ReleaseRequest;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Make the version that was current before the current one current again (it must still"
          + " have pollers); any ramp ends. It runs as the deployment's release: refused while"
          + " another runs (abort rolls a running release back).",
      DeployMain.EXIT_CODES
    })
final class RollbackCommand implements Callable<Integer> {
  @Mixin Connections connect;

  @Option(names = "--dry-run", description = "print the plan, change nothing")
  boolean dryRun;

  @Override
  public Integer call() {
    return DeployMain.connected(
        connect,
        p ->
            DeployMain.release(
                p,
                new ReleaseRequest(
                    ReleaseRequest.Kind.ROLLBACK,
                    connect.cluster,
                    connect.deployment,
                    Optional.empty(),
                    Actor.Sources.none(),
                    ReleaseRequest.Carried.none()),
                dryRun,
                false));
  }
}
