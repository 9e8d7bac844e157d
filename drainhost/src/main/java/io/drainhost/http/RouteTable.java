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
  /** One route: a method and a path template ({@code {name}} for a segment) and its handler. */
  record Route(HandlerType method, String template, Handler handler) {
    Pattern pattern() {
      StringBuilder re = new StringBuilder();
      for (String segment : template.substring(1).split("/")) {
        re.append('/').append(segment.startsWith("{") ? "[^/]+" : Pattern.quote(segment));
      }
      return Pattern.compile(re.toString());
    }
  }

  static Route get(String template, Handler handler) {
    return new Route(HandlerType.GET, template, handler);
  }

  static Route post(String template, Handler handler) {
    return new Route(HandlerType.POST, template, handler);
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
    AtomicReference<String> description = new AtomicReference<>();
    List<Route> all = new ArrayList<>(routes);
    all.add(
        get(
            HttpServer.OPENAPI_PATH,
            ctx -> ctx.contentType("application/json").result(description.get())));
    RouteTable table = new RouteTable(all);
    description.set(OpenApi.document(workflowTypes, scheduleIds, table));
    return table;
  }

  void registerOn(JavalinConfig cfg) {
    routes.forEach(r -> cfg.routes.addHttpHandler(r.method(), r.template(), r.handler()));
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
