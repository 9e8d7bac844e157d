package io.drainhost.deploy;

import io.drainhost.deploy.plan.Release;
import io.drainhost.deploy.workflow.ReleaseRequest;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = {
      "Make a build id's version current (its service exists): wait for its pollers, run the gates"
          + " pinned to it, ramp in steps watching for failures (rolled back on their own), set it"
          + " current.",
      "Re-running continues from what Temporal says; a finished step is never repeated.",
      DeployMain.EXIT_CODES
    })
final class RolloutCommand implements Callable<Integer> {
  @Mixin Connections connect;
  @Mixin ReleaseOptions options;

  @Option(names = "--build-id", required = true, description = "the version to roll out")
  String buildId;

  @Override
  public Integer call() {
    return DeployMain.guarded(
        () -> {
          Release r =
              options.release(connect.deployment, buildId, Optional.empty(), Optional.empty());
          ReleaseRequest request =
              new ReleaseRequest(
                  ReleaseRequest.Kind.ROLLOUT,
                  connect.cluster,
                  connect.deployment,
                  Optional.of(r),
                  options.sources(new SourceOptions()),
                  ReleaseRequest.Carried.none());
          return DeployMain.connected(
              connect, p -> DeployMain.release(p, request, options.dryRun, options.detach));
        });
  }
}
