package io.drainhost.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The paths a server serves and with which methods: what turns a request for a known path with
 * another method into 405 with {@code Allow}, not 404 (Javalin answers both with 404). The OpenAPI
 * description lists the same routes; a test keeps the three (this, the router, the description) in
 * step.
 */
final class KnownRoutes {
  /** One route: a path template ({@code {name}} for a segment) and its method. */
  record Route(String template, String method) {
    Pattern pattern() {
      StringBuilder re = new StringBuilder();
      for (String segment : template.substring(1).split("/")) {
        re.append('/').append(segment.startsWith("{") ? "[^/]+" : Pattern.quote(segment));
      }
      return Pattern.compile(re.toString());
    }
  }

  private static final List<Route> API =
      List.of(
          new Route("/executions", "POST"),
          new Route("/executions/{workflowId}", "GET"),
          new Route("/schedules", "GET"),
          new Route("/schedules/{id}/backfill", "POST"),
          new Route(HttpServer.READINESS_PATH, "GET"),
          new Route(HttpServer.LIVENESS_PATH, "GET"),
          new Route(HttpServer.OPENAPI_PATH, "GET"));

  private static final List<Route> MANAGEMENT =
      List.of(
          new Route(HttpServer.INFLIGHT_PATH, "GET"),
          new Route(HttpServer.REPLAY_PATH, "GET"),
          new Route(HttpServer.METRICS_PATH, "GET"));

  /** A management port also describes itself. */
  private static final Route MANAGEMENT_DESCRIPTION = new Route(HttpServer.OPENAPI_PATH, "GET");

  private final List<Route> routes;

  private KnownRoutes(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  /** The main server's routes; with the management routes unless they have their own port. */
  static KnownRoutes main(boolean withManagement) {
    List<Route> all = new ArrayList<>(API);
    if (withManagement) {
      all.addAll(MANAGEMENT);
    }
    return new KnownRoutes(all);
  }

  static KnownRoutes management() {
    List<Route> all = new ArrayList<>(MANAGEMENT);
    all.add(MANAGEMENT_DESCRIPTION);
    return new KnownRoutes(all);
  }

  /** Whether a route has this path template and method. */
  boolean has(String template, String method) {
    return routes.stream()
        .anyMatch(r -> r.template().equals(template) && r.method().equalsIgnoreCase(method));
  }

  List<Route> routes() {
    return routes;
  }

  /** The methods this path allows, or empty when no route has it. */
  Optional<String> allowed(String path) {
    return routes.stream()
        .filter(r -> r.pattern().matcher(path).matches())
        .map(Route::method)
        .findFirst();
  }
}
