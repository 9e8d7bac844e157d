package io.drainhost.deploy;

import io.drainhost.deploy.aws.TaskDefinitions;
import io.drainhost.deploy.plan.Release;
import io.drainhost.deploy.workflow.ReleaseRequest;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    description = {
      "Release an image: register the version's task definition and create its service from the"
          + " current version's (or from the files, for a first release), copy its autoscaling,"
          + " then roll it out (gates, ramp steps watched for failures, promotion).",
      "First it proves that ECS and Temporal describe the same deployment, and checks the"
          + " settings and the account (as `check`); a mismatch or an error refuses the release"
          + " before anything is created. A release that does not make it gets no traffic, and"
          + " its service goes to 0 once Temporal says it is idle.",
      "The release is a Temporal workflow, one per deployment (another running one: exit 4):"
          + " this command starts it and follows it; stopping the command changes nothing about"
          + " it (without a controller it pauses until a drainhost-deploy worker runs: a deploy"
          + " of the same build, follow or abort resume it).",
      DeployMain.EXIT_CODES
    })
final class DeployCommand implements Callable<Integer> {
  @Mixin Connections connect;
  @Mixin ReleaseOptions options;
  @Mixin SourceOptions source;

  @Option(
      names = "--image",
      required = true,
      description = "the image: repository@sha256:… or :tag")
  String image;

  @Option(
      names = "--build-id",
      description = "the version's build id (default: the image's digest, as the host derives it)")
  String buildId;

  @Option(
      names = "--desired",
      description = "the new service's task count (default: the current version's)")
  Integer desired;

  @Override
  public Integer call() {
    return DeployMain.guarded(
        () -> {
          String b = buildId != null ? buildId : TaskDefinitions.buildIdOf(image);
          if (desired != null && desired < 1) {
            throw new IllegalArgumentException("--desired must be 1 or more");
          }
          Release r =
              options.release(
                  connect.deployment, b, Optional.of(image), Optional.ofNullable(desired));
          ReleaseRequest request =
              new ReleaseRequest(
                  ReleaseRequest.Kind.DEPLOY,
                  connect.cluster,
                  connect.deployment,
                  Optional.of(r),
                  options.sources(source),
                  ReleaseRequest.Carried.none());
          return DeployMain.connected(
              connect, p -> DeployMain.release(p, request, options.dryRun, options.detach));
        });
  }
}
