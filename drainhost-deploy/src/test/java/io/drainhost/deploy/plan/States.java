package io.drainhost.deploy.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/** Observed states built by hand: the fixtures the planner's rules are tested on. */
final class States {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  static final Set<String> QUEUES = Set.of("orders/TASK_QUEUE_TYPE_WORKFLOW");

  private Optional<Observed.Routing> routing = Optional.empty();
  private final Map<String, Observed.Version> versions = new HashMap<>();
  private final Map<String, Observed.Service> services = new HashMap<>();
  private final Map<String, Observed.GateRun> gates = new HashMap<>();
  private Optional<Observed.Health> health = Optional.empty();
  private final Set<String> recentlyPolled = new java.util.HashSet<>();
  static final Observed.Scope SCOPE =
      new Observed.Scope("orders", "default", "127.0.0.1:7233", "prod", "eu-west-1");

  static States state() {
    return new States();
  }

  /** {@code current} is current since {@code since} ago; nothing ramps. */
  States current(String buildId, Duration since) {
    routing =
        Optional.of(
            new Observed.Routing(
                Optional.of(buildId),
                Optional.empty(),
                0,
                NOW.minus(Duration.ofDays(1)),
                NOW.minus(since),
                new byte[] {1}));
    return this;
  }

  States ramping(String buildId, float percent, Duration since) {
    Observed.Routing r = routing.orElseThrow();
    routing =
        Optional.of(
            new Observed.Routing(
                r.current(),
                Optional.of(buildId),
                percent,
                NOW.minus(since),
                r.currentChangedAt(),
                r.conflictToken()));
    return this;
  }

  /** A version that polls the deployment's queue and was current once, if {@code wasCurrent}. */
  States version(String buildId, Observed.Status status, boolean wasCurrent) {
    return version(buildId, status, wasCurrent, QUEUES, true, 0, Optional.empty());
  }

  States version(
      String buildId,
      Observed.Status status,
      boolean wasCurrent,
      Set<String> queues,
      boolean polling,
      long pinned,
      Optional<Duration> retiredFor) {
    versions.put(
        buildId,
        new Observed.Version(
            buildId,
            status,
            NOW.minus(Duration.ofDays(2)),
            wasCurrent ? Optional.of(NOW.minus(Duration.ofHours(3))) : Optional.empty(),
            retiredFor.map(NOW::minus),
            queues,
            polling,
            pinned,
            wasCurrent ? Optional.of(NOW.minus(Duration.ofHours(4))) : Optional.empty()));
    return this;
  }

  /** {@code buildId} was ramped once (routed to), current or not. */
  States activated(String buildId) {
    Observed.Version v = versions.get(buildId);
    versions.put(
        buildId,
        new Observed.Version(
            v.buildId(),
            v.status(),
            v.createdAt(),
            v.lastCurrentAt(),
            v.retiredSince(),
            v.taskQueues(),
            v.polling(),
            v.openPinnedRuns(),
            Optional.of(NOW.minus(Duration.ofHours(1)))));
    return this;
  }

  States service(String buildId, int desired, Duration age, boolean scaling) {
    return service(buildId, desired, age, scaling, false);
  }

  States service(
      String buildId, int desired, Duration age, boolean scaling, boolean rolloutFailed) {
    services.put(
        buildId,
        new Observed.Service(
            "orders-" + buildId,
            buildId,
            desired,
            desired,
            NOW.minus(age),
            rolloutFailed,
            scaling,
            Optional.of("registry/orders@sha256:" + buildId),
            Optional.empty()));
    return this;
  }

  /** The service of {@code buildId} runs {@code image}, its tasks polling {@code namespace}. */
  States runs(String buildId, String image, Optional<String> namespace) {
    Observed.Service s = services.get(buildId);
    services.put(
        buildId,
        new Observed.Service(
            s.name(),
            s.buildId(),
            s.desired(),
            s.running(),
            s.createdAt(),
            s.rolloutFailed(),
            s.scaling(),
            Optional.of(image),
            namespace));
    return this;
  }

  /** Hosts of {@code buildId} polled the deployment's task queues lately. */
  States polledLately(String buildId) {
    recentlyPolled.add(buildId);
    return this;
  }

  States gate(String id, boolean closed, boolean completed, Duration age) {
    gates.put(id, new Observed.GateRun(id, closed, completed, NOW.minus(age)));
    return this;
  }

  States health(long started, long failed, long failing) {
    health =
        Optional.of(
            new Observed.Health(
                NOW.minusSeconds(10),
                started,
                failed,
                failing,
                failed + failing > 0 ? List.of("r1") : List.of()));
    return this;
  }

  Observed observed() {
    return new Observed(NOW, SCOPE, routing, versions, services, gates, health, recentlyPolled);
  }

  /** A release of {@code buildId}: from an image, with these steps and a step gate, strict rule. */
  static Release release(String buildId, List<RampStep> steps, Optional<String> stepGate) {
    return new Release(
        "orders",
        buildId,
        Optional.of("registry/orders@sha256:" + buildId),
        Optional.empty(),
        steps,
        Optional.empty(),
        stepGate,
        FailureRule.STRICT,
        Duration.ofMinutes(5),
        Duration.ofMinutes(5),
        Duration.ZERO);
  }

  static Release withRule(Release r, double maxRate, long minRuns) {
    return new Release(
        r.deployment(),
        r.buildId(),
        r.image(),
        r.desired(),
        r.steps(),
        r.gateWorkflow(),
        r.stepGate(),
        new FailureRule(OptionalDouble.of(maxRate), OptionalLong.empty(), minRuns),
        r.pollersTimeout(),
        r.gateTimeout(),
        r.rollbackWindow());
  }

  static Release withRollbackWindow(Release r, Duration window) {
    return new Release(
        r.deployment(),
        r.buildId(),
        r.image(),
        r.desired(),
        r.steps(),
        r.gateWorkflow(),
        r.stepGate(),
        r.failures(),
        r.pollersTimeout(),
        r.gateTimeout(),
        window);
  }

  static Release rolloutOnly(Release r) {
    return new Release(
        r.deployment(),
        r.buildId(),
        Optional.empty(),
        r.desired(),
        r.steps(),
        r.gateWorkflow(),
        r.stepGate(),
        r.failures(),
        r.pollersTimeout(),
        r.gateTimeout(),
        r.rollbackWindow());
  }
}
