package io.drainhost.http;

import io.drainhost.tracking.DrainDecision;
import io.drainhost.tracking.InflightItem;
import io.drainhost.tracking.InflightRegistry;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** {@code GET /inflight}: the work executing in this process now. */
final class InflightRoutes {
  private final InflightRegistry registry;
  private final String identity;

  /** The versioning behaviour of a run of this workflow type; empty without versioning. */
  private final Function<String, Optional<String>> versioningBehavior;

  InflightRoutes(
      InflightRegistry registry,
      String identity,
      Function<String, Optional<String>> versioningBehavior) {
    this.registry = registry;
    this.identity = identity;
    this.versioningBehavior = versioningBehavior;
  }

  void list(Context ctx) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (InflightItem item : registry.snapshot()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", item.kind().wireName());
      m.put("taskQueue", item.taskQueue());
      m.put("workflowId", item.workflowId());
      m.put("runId", item.runId());
      m.put("type", item.type());
      versioningBehavior.apply(item.workflowType()).ifPresent(b -> m.put("versioningBehavior", b));
      m.put("attempt", item.attempt());
      m.put("startedAt", item.startedAt().toString());
      DrainDecision decision = registry.decision(item);
      if (decision != null) {
        // While draining: what the drain decided for this attempt, and why.
        m.put(
            "drain",
            Map.of(
                "policy", decision.policy().wireName(),
                "decision", decision.handOffNow() ? "handoff_now" : "finish",
                "reason", decision.reason()));
      }
      items.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("host", identity);
    body.put("count", items.size());
    body.put("items", items);
    ctx.json(body);
  }
}
