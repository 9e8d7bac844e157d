package io.drainhost.deploy;

import io.drainhost.deploy.aws.EcsServices;
import io.drainhost.deploy.temporal.TemporalDeployments;
import io.temporal.api.deployment.v1.WorkerDeploymentInfo.WorkerDeploymentVersionSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** {@code status}: each version as Temporal has it, beside its ECS service. */
final class StatusReport {
  private final List<Map<String, Object>> rows;

  private StatusReport(List<Map<String, Object>> rows) {
    this.rows = rows;
  }

  static StatusReport of(TemporalDeployments temporal, EcsServices ecs) {
    Map<String, EcsServices.VersionService> services = ecs.byBuildId();
    List<Map<String, Object>> rows = new ArrayList<>();
    TreeSet<String> seen = new TreeSet<>();
    temporal
        .describe()
        .ifPresent(
            snap -> {
              for (WorkerDeploymentVersionSummary v : snap.info().getVersionSummariesList()) {
                String buildId = v.getDeploymentVersion().getBuildId();
                seen.add(buildId);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("buildId", buildId);
                row.put("status", wire(v.getStatus().name(), "WORKER_DEPLOYMENT_VERSION_STATUS_"));
                row.put(
                    "rampPercentage",
                    snap.ramping().filter(buildId::equals).isPresent()
                        ? snap.routing().getRampingVersionPercentage()
                        : 0);
                row.put("taskQueues", new TreeSet<>(temporal.taskQueues(buildId)));
                row.put("drainage", wire(v.getDrainageStatus().name(), "VERSION_DRAINAGE_STATUS_"));
                com.google.protobuf.Timestamp changed = v.getDrainageInfo().getLastChangedTime();
                row.put(
                    "drainageChangedAt",
                    changed.getSeconds() == 0
                        ? null
                        : java.time.Instant.ofEpochSecond(changed.getSeconds(), changed.getNanos())
                            .toString());
                row.put("openPinnedRuns", temporal.openPinnedRuns(buildId));
                service(row, services.get(buildId));
                rows.add(row);
              }
            });
    services.forEach(
        (buildId, s) -> {
          if (!seen.contains(buildId)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("buildId", buildId);
            // A release whose hosts never polled: still starting, or (at 0) one that failed.
            row.put(
                "status", s.desired() == 0 ? "failed release (never polled)" : "not polled yet");
            service(row, s);
            rows.add(row);
          }
        });
    return new StatusReport(rows);
  }

  private static void service(Map<String, Object> row, EcsServices.VersionService s) {
    row.put("ecsService", s == null ? null : s.name());
    row.put("desired", s == null ? null : s.desired());
    row.put("running", s == null ? null : s.running());
  }

  private static String wire(String name, String prefix) {
    return name.startsWith(prefix)
        ? name.substring(prefix.length()).toLowerCase(Locale.ROOT)
        : "unspecified";
  }

  List<Map<String, Object>> rows() {
    return rows;
  }

  String table() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            "%-20s %-10s %6s %-12s %8s %-24s %8s %8s%n",
            "BUILD ID",
            "STATUS",
            "RAMP%",
            "DRAINAGE",
            "PINNED",
            "ECS SERVICE",
            "DESIRED",
            "RUNNING"));
    for (Map<String, Object> r : rows) {
      b.append(
          String.format(
              "%-20s %-10s %6s %-12s %8s %-24s %8s %8s%n",
              r.get("buildId"),
              r.get("status"),
              r.getOrDefault("rampPercentage", ""),
              r.getOrDefault("drainage", ""),
              r.getOrDefault("openPinnedRuns", ""),
              r.get("ecsService") == null ? "-" : r.get("ecsService"),
              r.get("desired") == null ? "-" : r.get("desired"),
              r.get("running") == null ? "-" : r.get("running")));
    }
    return b.toString();
  }
}
