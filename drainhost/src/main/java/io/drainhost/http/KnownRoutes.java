package io.drainhost.http;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The paths this server serves and with which methods: what turns a request for a known path with
 * another method into 405 with {@code Allow}, not 404 (Javalin answers both with 404).
 */
final class KnownRoutes {
  private record Route(Pattern path, String allow) {}

  private static final List<Route> ROUTES =
      List.of(
          new Route(Pattern.compile("/executions"), "POST"),
          new Route(Pattern.compile("/executions/[^/]+"), "GET"),
          new Route(Pattern.compile("/schedules"), "GET"),
          new Route(Pattern.compile("/schedules/[^/]+/backfill"), "POST"),
          new Route(Pattern.compile(Pattern.quote(HttpServer.INFLIGHT_PATH)), "GET"),
          new Route(Pattern.compile(Pattern.quote(HttpServer.READINESS_PATH)), "GET"),
          new Route(Pattern.compile(Pattern.quote(HttpServer.LIVENESS_PATH)), "GET"),
          new Route(Pattern.compile(Pattern.quote(HttpServer.METRICS_PATH)), "GET"));

  private KnownRoutes() {}

  /** The methods this path allows, or empty when no route has it. */
  static Optional<String> allowed(String path) {
    return ROUTES.stream()
        .filter(r -> r.path().matcher(path).matches())
        .map(Route::allow)
        .findFirst();
  }
}
