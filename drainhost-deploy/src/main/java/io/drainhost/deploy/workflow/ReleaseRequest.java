package io.drainhost.deploy.workflow;

import io.drainhost.deploy.act.Actor;
import io.drainhost.deploy.check.Finding;
import io.drainhost.deploy.plan.DeployPlanner;
import io.drainhost.deploy.plan.Observed;
import io.drainhost.deploy.plan.Plan;
import io.drainhost.deploy.plan.Release;
import io.drainhost.deploy.plan.RollbackPlanner;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a release workflow is asked to do, with all it needs to do it in a worker anywhere: the
 * release's rules, and a first release's files as text ({@link Actor.Sources}).
 *
 * @param release the build to make current; empty for a rollback
 * @param carried what a run hands to the next when it continues as new
 */
public record ReleaseRequest(
    Kind kind,
    String cluster,
    String deployment,
    Optional<Release> release,
    Actor.Sources sources,
    Carried carried) {

  /** The subcommand that started it. */
  public enum Kind {
    DEPLOY,
    ROLLOUT,
    ROLLBACK;

    public String command() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A run's state the next run starts from: the progress lines (the last ones, numbered from {@code
   * firstLine}), an abort asked for, and the last plan's message.
   */
  public record Carried(
      long firstLine, List<String> lines, Optional<String> abortedBy, String lastMessage) {
    public Carried {
      lines = List.copyOf(lines);
    }

    public static Carried none() {
      return new Carried(0, List.of(), Optional.empty(), "");
    }
  }

  /** The build released, or {@code -} for a rollback. */
  public String buildId() {
    return release.map(Release::buildId).orElse("-");
  }

  /**
   * The plan of one pass: a rollback's, or the release's (rolled back instead once an abort was
   * asked). Pure, so the workflow and the command's own first pass plan alike.
   */
  public Plan plan(Observed o, List<Finding> findings, Optional<String> abortedBy) {
    if (kind == Kind.ROLLBACK) {
      return RollbackPlanner.plan(o);
    }
    Release r = release.orElseThrow();
    return abortedBy.isPresent()
        ? DeployPlanner.abort(o, r, abortedBy.get())
        : DeployPlanner.plan(o, r, findings);
  }

  public ReleaseRequest carrying(Carried next) {
    return new ReleaseRequest(kind, cluster, deployment, release, sources, next);
  }

  /** One release per deployment at a time: the id every release of it runs under. */
  public static String workflowId(String cluster, String deployment) {
    return "drainhost-release/" + cluster + "/" + deployment;
  }
}
