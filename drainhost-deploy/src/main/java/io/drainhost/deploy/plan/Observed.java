package io.drainhost.deploy.plan;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one pass of the tool saw of a deployment, read once from Temporal, ECS and Application Auto
 * Scaling: everything a plan is decided on. Plain values: a planner needs no client to read it, and
 * a test builds one by hand.
 *
 * @param routing the Worker Deployment's routing; empty when Temporal does not know the deployment
 *     (no host of it has polled yet)
 * @param versions the deployment's versions as Temporal has them, by build id
 * @param services the deployment's ECS services (tagged with it), by build id
 * @param gates the gate runs of the build being released, by workflow id (absent: never started)
 * @param health the failures of the build being released in its current watch window, when it has
 *     one (ramping or in its rollback window)
 * @param recentlyPolled the build ids of the deployment whose hosts polled its task queues lately
 *     (DescribeTaskQueue's pollers), listed in the deployment or not
 */
public record Observed(
    Instant now,
    Scope scope,
    Optional<Routing> routing,
    Map<String, Version> versions,
    Map<String, Service> services,
    Map<String, GateRun> gates,
    Optional<Health> health,
    Set<String> recentlyPolled) {

  public Observed {
    versions = Map.copyOf(versions);
    services = Map.copyOf(services);
    gates = Map.copyOf(gates);
    recentlyPolled = Set.copyOf(recentlyPolled);
  }

  /**
   * This observation as of {@code now}: a release workflow plans on its own clock, which replays
   * the same, not on the clock of the worker that observed.
   */
  public Observed at(Instant now) {
    return new Observed(now, scope, routing, versions, services, gates, health, recentlyPolled);
  }

  /**
   * Where this pass looked: the two sides a mismatch is named by (a typo in one of them makes the
   * other look empty).
   *
   * @param region the AWS region of the ECS calls, as the SDK resolved it
   */
  public record Scope(
      String deployment, String namespace, String temporalAddress, String cluster, String region) {
    public String temporal() {
      return "Temporal at " + temporalAddress + ", namespace " + namespace;
    }

    public String ecs() {
      return "ECS cluster " + cluster + " (region " + region + ")";
    }
  }

  /** The deployment's routing: which version is current, which ramps and how far. */
  public record Routing(
      Optional<String> current,
      Optional<String> ramping,
      float rampPercent,
      Instant rampChangedAt,
      Instant currentChangedAt,
      byte[] conflictToken) {}

  /**
   * A version's state in Temporal.
   *
   * @param taskQueues the task queues its hosts have polled
   * @param polling whether a host of it polled lately (a version to roll back to must)
   * @param retiredSince since when it is out of use: drained, or inactive and never current
   * @param firstActivatedAt when it was first made current or ramping; empty: never routed to
   */
  public record Version(
      String buildId,
      Status status,
      Instant createdAt,
      Optional<Instant> lastCurrentAt,
      Optional<Instant> retiredSince,
      Set<String> taskQueues,
      boolean polling,
      long openPinnedRuns,
      Optional<Instant> firstActivatedAt) {}

  /** A version's status, as Temporal names it. */
  public enum Status {
    CREATED,
    INACTIVE,
    CURRENT,
    RAMPING,
    DRAINING,
    DRAINED
  }

  /**
   * A version's ECS service.
   *
   * @param rolloutFailed ECS gave up on the service's deployment (its circuit breaker tripped: the
   *     tasks keep failing)
   * @param scaling whether an Application Auto Scaling target is registered for it
   * @param image the drainhost container's image in its task definition, when read
   * @param namespace the TEMPORAL_NAMESPACE its task definition sets, when it sets one
   */
  public record Service(
      String name,
      String buildId,
      int desired,
      int running,
      Instant createdAt,
      boolean rolloutFailed,
      boolean scaling,
      Optional<String> image,
      Optional<String> namespace) {

    /** Tasks run, or ECS is asked to run some: work may be there. */
    public boolean live() {
      return desired > 0 || running > 0;
    }
  }

  /** A gate run's state; {@code closed} with {@code completed} false is a failed gate. */
  public record GateRun(String workflowId, boolean closed, boolean completed, Instant startedAt) {}

  /**
   * How the released build fares in its watch window.
   *
   * @param since the start of the window (the step's ramp, or the promotion)
   * @param started runs of the build started in the window
   * @param failed runs of the build that failed or timed out in the window
   * @param failing open runs whose current workflow task was tried more than once
   * @param examples a few of the failing and failed runs' ids, for the message
   */
  public record Health(
      Instant since, long started, long failed, long failing, List<String> examples) {
    public long failures() {
      return failed + failing;
    }
  }

  /** The current version's task queues, polled by the released build too: it may take traffic. */
  public boolean pollsLikeCurrent(String buildId) {
    Version v = versions.get(buildId);
    if (v == null || v.taskQueues().isEmpty()) {
      return false;
    }
    Set<String> needed =
        routing
            .flatMap(Routing::current)
            .map(versions::get)
            .map(Version::taskQueues)
            .orElse(Set.of());
    return v.taskQueues().containsAll(needed);
  }
}
