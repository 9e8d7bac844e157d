package io.drainhost.deploy;

import io.drainhost.deploy.pipeline.Releases;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "follow",
    mixinStandardHelpOptions = true,
    description = {
      "Attach to the deployment's release (running, or the last one): print its progress as it"
          + " moves and exit with its outcome, as deploy does. With no controller, this process"
          + " runs the release's steps while it follows (a paused release resumes).",
      DeployMain.EXIT_CODES
    })
final class FollowCommand implements Callable<Integer> {
  @Mixin Connections connect;

  @Override
  public Integer call() {
    return DeployMain.connected(
        connect,
        p -> {
          Releases releases = new Releases(p, System.out, System.err);
          if (releases.running().isEmpty() && !releases.ever()) {
            throw new DeployException(
                DeployException.USAGE,
                "deployment " + connect.deployment + " has no release in Temporal to follow");
          }
          return releases.follow(false);
        });
  }
}
