package io.drainhost.deploy.plan;

import io.drainhost.deploy.plan.Observed.Routing;
import io.drainhost.deploy.plan.Observed.Scope;
import io.drainhost.deploy.plan.Observed.Service;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Before any change, proof that what a command acts on is what the operator meant: ECS and Temporal
 * must describe the same deployment. A typo in the namespace, the cluster or the region makes one
 * side look empty, and an empty side reads like a failed release; so a mismatch refuses the command
 * (exit 2) with both sides named, and nothing is changed.
 */
public final class Identity {
  private Identity() {}

  /** The reason to refuse, naming both sides; empty when ECS and Temporal agree. */
  public static Optional<String> mismatch(Observed o, Optional<Release> release) {
    Scope where = o.scope();
    Optional<String> own = release.map(Release::buildId);
    TreeMap<String, Service> others = new TreeMap<>(o.services());
    own.ifPresent(others::remove);

    List<String> live =
        others.values().stream().filter(Service::live).map(Service::name).sorted().toList();
    if (o.routing().isEmpty() && !live.isEmpty()) {
      return Optional.of(
          where.ecs()
              + " runs services tagged drainhost:deployment="
              + where.deployment()
              + " ("
              + String.join(", ", live)
              + "), but "
              + where.temporal()
              + " has no Worker Deployment "
              + where.deployment()
              + ": a mistyped namespace or address, another Temporal cluster, or a deleted"
              + " deployment? Nothing was changed");
    }
    for (Optional<String> routed :
        List.of(o.routing().flatMap(Routing::current), o.routing().flatMap(Routing::ramping))) {
      if (routed.isPresent() && !o.services().containsKey(routed.get())) {
        return Optional.of(
            where.temporal()
                + " routes "
                + where.deployment()
                + " to version "
                + routed.get()
                + ", but "
                + where.ecs()
                + " has no service tagged drainhost:deployment="
                + where.deployment()
                + ", drainhost:build-id="
                + routed.get()
                + ": the wrong --cluster or AWS region? Nothing was changed");
      }
    }
    String namespaces =
        o.services().values().stream()
            .filter(s -> s.namespace().filter(n -> !n.equals(where.namespace())).isPresent())
            .map(s -> s.name() + " uses namespace " + s.namespace().get())
            .sorted()
            .collect(Collectors.joining(", "));
    if (!namespaces.isEmpty()) {
      return Optional.of(
          "the tasks of "
              + where.deployment()
              + " poll another namespace than this run's ("
              + namespaces
              + "; this run: "
              + where.temporal()
              + "): set TEMPORAL_NAMESPACE or --namespace to theirs. Nothing was changed");
    }
    if (release.isPresent() && release.get().image().isPresent()) {
      Release r = release.get();
      Service s = o.services().get(r.buildId());
      if (s != null && s.image().filter(i -> !i.equals(r.image().get())).isPresent()) {
        return Optional.of(
            "build id "
                + r.buildId()
                + " is already the image "
                + s.image().get()
                + " (service "
                + s.name()
                + " in "
                + where.ecs()
                + "), not "
                + r.image().get()
                + ": a build id names one image; give this image its own --build-id. Nothing was"
                + " changed");
      }
    }
    return Optional.empty();
  }
}
