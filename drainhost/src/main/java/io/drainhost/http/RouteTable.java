package io.drainhost.http;

import io.drainhost.workflows.WorkflowTypes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The routes one port serves, listed once: the table registers them with Javalin, answers a known
 * path with another method by 405 with {@code Allow} (Javalin answers 404), and decides which paths
 * the port's OpenAPI description has. A route without a description in {@code openapi.json} stops
 * the host at startup, so the three cannot drift apart.
 */
final class RouteTable {
  /**
   * Who may call a route. Every route declares one: access is an allow-list, so a route added later
   * is never open by mistake.
   */
  enum Access {
    /** Anyone: what load balancers and ECS probe, and the API's description. */
    OPEN,
    /** With {@code DRAINHOST_API_TOKEN} set, only a bearer of it. */
    TOKEN,
    /**
     * No token (Prometheus carries none): meant for the management port, the only port that serves
     * it once {@code DRAINHOST_MANAGEMENT_PORT} is set.
     */
    MANAGEMENT
  }

  /**
   * One route: a method, a path template ({@code {name}} for a segment), who may call it, and its
   * handler.
   */
  record Route(HandlerType method, String template, Access access, Handler handler) {
    Route {
      if (access == null) {
        // Stops the host's start: an undeclared route is a mistake, not an open door.
        throw new IllegalArgumentException(
            "route " + method + " " + template + " declares no access (OPEN, TOKEN, MANAGEMENT)");
      }
    }

    Pattern pattern() {
      StringBuilder re = new StringBuilder();
      for (String segment : template.substring(1).split("/")) {
        re.append('/').append(segment.startsWith("{") ? "[^/]+" : Pattern.quote(segment));
      }
      return Pattern.compile(re.toString());
    }
  }

  static Route get(String template, Access access, Handler handler) {
    return new Route(HandlerType.GET, template, access, handler);
  }

  static Route post(String template, Access access, Handler handler) {
    return new Route(HandlerType.POST, template, access, handler);
  }

  private final List<Route> routes;

  private RouteTable(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  /**
   * These routes and {@code GET /openapi.json}, which serves the description of exactly this table,
   * completed with the host's workflow types and schedule ids.
   */
  static RouteTable described(
      List<Route> routes, WorkflowTypes workflowTypes, Collection<String> scheduleIds) {
    // Written at the first request, not at the start, where it cost a one-CPU task ~15 ms; the
    // table, types and schedule ids it describes do not change.
    AtomicReference<String> description = new AtomicReference<>();
    AtomicReference<RouteTable> described = new AtomicReference<>();
    List<String> ids = List.copyOf(scheduleIds);
    List<Route> all = new ArrayList<>(routes);
    all.add(
        get(
            HttpServer.OPENAPI_PATH,
            Access.OPEN,
            ctx ->
                ctx.contentType("application/json")
                    .result(
                        description.updateAndGet(
                            d ->
                                d != null
                                    ? d
                                    : OpenApi.document(workflowTypes, ids, described.get())))));
    RouteTable table = new RouteTable(all);
    described.set(table);
    return table;
  }

  /** Registers every route; a {@link Access#TOKEN} route checks the bearer token first. */
  void registerOn(JavalinConfig cfg, BearerAuth auth) {
    for (Route r : routes) {
      Handler handler =
          r.access() == Access.TOKEN
              ? ctx -> {
                auth.check(ctx);
                r.handler().handle(ctx);
              }
              : r.handler();
      cfg.routes.addHttpHandler(r.method(), r.template(), handler);
    }
  }

  List<Route> routes() {
    return routes;
  }

  /** Whether a route has this path template and method. */
  boolean has(String template, String method) {
    return routes.stream()
        .anyMatch(r -> r.template().equals(template) && r.method().name().equalsIgnoreCase(method));
  }

  /** The methods this path allows ({@code "GET, POST"}), or empty when no route has it. */
  Optional<String> allowed(String path) {
    String methods =
        routes.stream()
            .filter(r -> r.pattern().matcher(path).matches())
            .map(r -> r.method().name())
            .distinct()
            .collect(Collectors.joining(", "));
    return methods.isEmpty() ? Optional.empty() : Optional.of(methods);
  }
}
