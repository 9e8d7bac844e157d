package io.drainhost.http;

import io.drainhost.lifecycle.HostState;
import io.drainhost.replay.ReplayReport;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Readiness ({@code /health}, for the load balancer) and liveness ({@code /health/live}, for the
 * ECS container health check). Liveness never fails because the host is busy or draining: a
 * container health check that did would get busy tasks killed, the very loss drainhost prevents.
 */
final class HealthRoutes {
  private final HostStatus host;

  HealthRoutes(HostStatus host) {
    this.host = host;
  }

  void readiness(Context ctx) {
    host.readinessProbed(ctx.userAgent());
    HostState state = host.state();
    int inflight = host.inflight();
    boolean connected = host.temporalConnected();
    boolean refused = host.replayRefused();
    ReplayReport.State replay = host.replay().state();
    // Not ready before the replay gate's verdict: a task that turned healthy now would let an ECS
    // rolling deployment stop a working task for a build the gate may refuse a moment later.
    boolean gatePending = replay == ReplayReport.State.RUNNING;
    boolean ready =
        state == HostState.SERVING
            && !refused
            && !gatePending
            && (connected || !host.readinessRequiresTemporal());
    Map<String, Object> body = new LinkedHashMap<>();
    String status;
    if (refused && state != HostState.STOPPED) {
      // This build cannot replay running work: it never polls and exits 4.
      status = "replay_failed";
    } else if (state == HostState.SERVING && gatePending) {
      status = HostState.STARTING.wireName();
    } else if (state == HostState.SERVING && !ready) {
      // Serving but not ready because Temporal is unreachable: the body says so, not "serving".
      status = "temporal_unavailable";
    } else {
      status = state.wireName();
    }
    body.put("status", status);
    body.put("activeExecutions", inflight);
    body.put("temporal", connected ? "connected" : "disconnected");
    body.put("temporalSince", host.temporalSince().toString());
    body.put("polling", host.pollingSuspended() ? "suspended" : "active");
    body.put("replay", replay.wireName());
    host.deployment().ifPresent(d -> body.put("deployment", d.toJson()));
    host.scaleInProtection().ifPresent(p -> body.put("scaleInProtection", p));
    // Readiness is unaffected: a throttled host still serves, only slower.
    host.temporalThrottled().ifPresent(t -> body.put("temporalThrottled", t));
    body.put(
        "readyForTermination",
        (state == HostState.DRAINING || state == HostState.STOPPED) && inflight == 0);
    ctx.status(ready ? 200 : 503).json(body);
  }

  void liveness(Context ctx) {
    ctx.json(Map.of("status", "alive"));
  }
}
