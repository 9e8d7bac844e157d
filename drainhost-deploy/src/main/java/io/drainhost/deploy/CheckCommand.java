package io.drainhost.deploy;

import io.drainhost.deploy.activity.CreationCheck;
import io.drainhost.deploy.aws.EcsServices;
import io.drainhost.deploy.aws.SettingsReader;
import io.drainhost.deploy.aws.SourceFile;
import io.drainhost.deploy.check.Checks;
import io.drainhost.deploy.check.Finding;
import io.drainhost.deploy.check.Settings;
import io.drainhost.deploy.plan.Observed;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "The deployment's ECS settings against what drainhost needs, one finding per setting with"
          + " the field and why: the current version's task definition, service and target"
          + " group, or the files given.",
      DeployMain.EXIT_CODES
    })
final class CheckCommand implements Callable<Integer> {
  @Option(names = "--deployment", description = "the Worker Deployment (with --cluster)")
  String deployment;

  @Option(names = "--cluster", description = "the ECS cluster of its services")
  String cluster;

  @Option(names = "--task-definition", description = "a task definition file instead")
  Path taskDefinition;

  @Option(names = "--service-settings", description = "a service settings file instead")
  Path serviceSettings;

  @Option(names = "--address", description = "Temporal's host:port (else TEMPORAL_ADDRESS)")
  String address;

  @Option(names = "--namespace", description = "the namespace (else TEMPORAL_NAMESPACE)")
  String namespace;

  @Override
  public Integer call() {
    return DeployMain.guarded(
        () -> {
          if (taskDefinition != null || serviceSettings != null) {
            if (taskDefinition == null || serviceSettings == null) {
              throw new IllegalArgumentException(
                  "give both --task-definition and --service-settings");
            }
            return report(
                SettingsReader.fromFiles(
                    SourceFile.read(taskDefinition, "task definition"),
                    SourceFile.read(serviceSettings, "service settings")),
                List.of());
          }
          if (deployment == null || cluster == null) {
            throw new IllegalArgumentException(
                "give --cluster and --deployment (the current version is checked), or the files"
                    + " (--task-definition and --service-settings)");
          }
          return DeployMain.connected(
              Connections.of(deployment, cluster, address, namespace),
              p -> {
                Observed o = p.observer().observe(Optional.empty());
                Optional<EcsServices.VersionService> current =
                    o.routing().flatMap(Observed.Routing::current).flatMap(p.ecs()::of);
                if (current.isEmpty()) {
                  throw new IllegalArgumentException(
                      "deployment "
                          + deployment
                          + " has no current version with a service in "
                          + cluster
                          + ": check the files instead");
                }
                return report(
                    SettingsReader.fromCurrent(
                        current.get().described(),
                        p.taskDefinitions(),
                        Optional.of(p.targetGroups())),
                    Checks.account(CreationCheck.currentAccount(p, current.get().described())));
              });
        });
  }

  private static int report(Settings s, List<Finding> account) {
    List<Finding> findings = new java.util.ArrayList<>(Checks.check(s));
    findings.addAll(account);
    System.out.print(Checks.table(s, findings));
    return findings.stream().anyMatch(Finding::error) ? DeployException.USAGE : 0;
  }
}
