package io.drainhost.deploy.activity;

import io.drainhost.deploy.Parts;
import io.drainhost.deploy.act.Actor;
import io.drainhost.deploy.aws.EcsServices;
import io.drainhost.deploy.aws.SettingsReader;
import io.drainhost.deploy.check.Account;
import io.drainhost.deploy.check.Checks;
import io.drainhost.deploy.check.Finding;
import io.drainhost.deploy.plan.Identity;
import io.drainhost.deploy.plan.Observed;
import io.drainhost.deploy.plan.Release;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The check of what a new version's service would be made from, on the real resources: the current
 * version's settings and account, else the files' with the target group, network and roles given. A
 * first release names its files: no silent fallback to the examples.
 */
public final class CreationCheck {
  private CreationCheck() {}

  /**
   * One look at the deployment as a release's pass sees it: for a build whose service is about to
   * be created (and whose deployment checked out), the check of its settings too. The command's own
   * first pass and the workflow's observe activity are this.
   */
  public static ReleaseActivities.Pass pass(
      Parts p, Optional<Release> release, Actor.Sources sources) {
    Observed o = p.observer().observe(release);
    boolean creating =
        release.isPresent()
            && release.get().image().isPresent()
            && !o.services().containsKey(release.get().buildId());
    List<Finding> findings =
        creating && Identity.mismatch(o, release).isEmpty() ? findings(p, o, sources) : List.of();
    return new ReleaseActivities.Pass(o, findings);
  }

  public static List<Finding> findings(Parts p, Observed o, Actor.Sources sources) {
    Optional<EcsServices.VersionService> current =
        o.routing().flatMap(Observed.Routing::current).flatMap(p.ecs()::of);
    List<Finding> findings = new ArrayList<>();
    if (current.isPresent()) {
      findings.addAll(
          Checks.check(
              SettingsReader.fromCurrent(
                  current.get().described(), p.taskDefinitions(), Optional.of(p.targetGroups()))));
      findings.addAll(Checks.account(currentAccount(p, current.get().described())));
      return findings;
    }
    if (sources.taskDefinitionFile().isEmpty() || sources.serviceSettingsFile().isEmpty()) {
      throw new IllegalArgumentException(
          "deployment "
              + p.connections().deployment
              + " has no current version in "
              + p.connections().temporalScope()
              + ": a first release names its files, --task-definition and --service-settings"
              + " (ecs/task-definition.json and ecs/service-settings.json are examples to copy)");
    }
    findings.addAll(
        Checks.check(
            SettingsReader.forFirstRelease(
                sources.taskDefinitionFile().get(),
                sources.serviceSettingsFile().get(),
                sources.account().targetGroupArn().map(p.targetGroups()::read))));
    findings.addAll(
        Checks.account(
            SettingsReader.firstReleaseAccount(
                sources.taskDefinitionFile().get(),
                sources.serviceSettingsFile().get(),
                sources.account(),
                p.roles(),
                p.connections().namespace())));
    return findings;
  }

  /** What the current version's service has of the account, judged in this run's namespace. */
  public static Account currentAccount(
      Parts p, software.amazon.awssdk.services.ecs.model.Service s) {
    return SettingsReader.currentAccount(
        s, p.taskDefinitions(), p.roles(), p.connections().namespace());
  }
}
