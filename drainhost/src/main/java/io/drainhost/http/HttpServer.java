package io.drainhost.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.config.HostConfig;
import io.drainhost.config.WorkflowIdReuse;
import io.drainhost.http.RouteTable.Access;
import io.drainhost.lifecycle.GracefulStop;
import io.drainhost.lifecycle.HostState;
import io.drainhost.schedules.Schedules;
import io.drainhost.temporal.ConnectionMonitor;
import io.drainhost.tracking.InflightRegistry;
import io.drainhost.workflows.WorkflowTypes;
import io.drainhost.workflows.WorkflowTypes.WorkflowType;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Javalin server: routes, the drain gate, JSON errors, request metrics and a graceful stop.
 * Jetty 12 only finishes requests in progress at stop with its {@link GracefulHandler} and a stop
 * timeout; Javalin installs neither, so this class does.
 */
public final class HttpServer implements GracefulStop {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
  public static final String READINESS_PATH = "/health";
  public static final String LIVENESS_PATH = "/health/live";
  public static final String METRICS_PATH = "/metrics";
  public static final String INFLIGHT_PATH = "/inflight";
  public static final String REPLAY_PATH = "/replay";
  public static final String OPENAPI_PATH = "/openapi.json";

  /** Answered in every state, until the very end of a drain. */
  public static final Set<String> ALWAYS_OPEN =
      Set.of(READINESS_PATH, LIVENESS_PATH, METRICS_PATH, INFLIGHT_PATH, REPLAY_PATH);

  private final Javalin app;
  private final HostStatus host;
  private final TemporalCalls calls;
  private final ExecutionRoutes executions;
  private final GracefulHandler graceful = new GracefulHandler();
  private final java.util.concurrent.atomic.AtomicBoolean stopped =
      new java.util.concurrent.atomic.AtomicBoolean();
  private Server jetty;

  /** The management server, when DRAINHOST_MANAGEMENT_PORT is set; else null. */
  private final Javalin management;

  private final GracefulHandler managementGraceful = new GracefulHandler();
  private Server managementJetty;

  public HttpServer(
      HostConfig config,
      HostStatus host,
      InflightRegistry registry,
      String identity,
      WorkflowClient client,
      WorkflowTypes types,
      ConnectionMonitor monitor,
      PrometheusMeterRegistry metrics,
      ObjectMapper mapper,
      Schedules schedules) {
    this.host = host;
    this.calls = new TemporalCalls(monitor, config.requestTimeout());
    RequestBodies bodies = new RequestBodies(mapper, config.maxBodyBytes());
    this.executions =
        new ExecutionRoutes(
            client,
            types,
            config.workflowIdReuse() == WorkflowIdReuse.ALLOW,
            mapper,
            bodies,
            calls,
            metrics,
            host.drainStarted(),
            config.maxWaiters(),
            config.requestTimeout());
    ScheduleRoutes scheduleRoutes = new ScheduleRoutes(schedules, bodies, calls);
    HealthRoutes health = new HealthRoutes(host);
    InflightRoutes inflight =
        new InflightRoutes(
            registry,
            identity,
            type ->
                config.versioning().enabled()
                    ? Optional.of(
                        types
                            .find(type)
                            .flatMap(WorkflowType::versioningBehavior)
                            .orElse(config.versioning().defaultBehavior().wireName()))
                    : Optional.empty());
    RequestMetrics requestMetrics = new RequestMetrics(metrics);
    BearerAuth auth = new BearerAuth(config.apiToken(), metrics);
    List<RouteTable.Route> api =
        List.of(
            RouteTable.post("/executions", Access.TOKEN, executions::start),
            RouteTable.get("/executions/{workflowId}", Access.TOKEN, executions::get),
            RouteTable.get("/schedules", Access.TOKEN, scheduleRoutes::list),
            RouteTable.post("/schedules/{id}/backfill", Access.TOKEN, scheduleRoutes::backfill),
            RouteTable.get(READINESS_PATH, Access.OPEN, health::readiness),
            RouteTable.get(LIVENESS_PATH, Access.OPEN, health::liveness));
    List<RouteTable.Route> managementRoutes =
        List.of(
            RouteTable.get(INFLIGHT_PATH, Access.MANAGEMENT, inflight::list),
            RouteTable.get(
                REPLAY_PATH,
                Access.MANAGEMENT,
                ctx -> ctx.json(host.replay().toJson(host.replayMode()))),
            RouteTable.get(METRICS_PATH, Access.MANAGEMENT, ctx -> scrape(ctx, metrics)));
    // Each port serves and describes its own routes: with a management port, the management
    // routes are there only.
    boolean separateManagement = config.managementPort().isPresent();
    List<RouteTable.Route> mainRoutes = new java.util.ArrayList<>(api);
    if (!separateManagement) {
      mainRoutes.addAll(managementRoutes);
    }
    RouteTable main = RouteTable.described(mainRoutes, types, schedules.ids());
    JettyMemoryLayout.preset();
    this.app =
        Javalin.create(
            cfg -> {
              common(cfg, config, config.port(), mapper, main, graceful, s -> jetty = s);
              cfg.routes.before(requestMetrics::begin);
              cfg.routes.before(this::gate);
              main.registerOn(cfg, auth);
              cfg.routes.after(requestMetrics::end);
            });
    if (separateManagement) {
      RouteTable table = RouteTable.described(managementRoutes, types, schedules.ids());
      this.management =
          Javalin.create(
              cfg -> {
                common(
                    cfg,
                    config,
                    config.managementPort().get(),
                    mapper,
                    table,
                    managementGraceful,
                    s -> managementJetty = s);
                table.registerOn(cfg, auth);
              });
    } else {
      this.management = null;
    }
  }

  /** What both servers share: binding, limits, JSON, a graceful stop and JSON errors. */
  private static void common(
      JavalinConfig cfg,
      HostConfig config,
      int port,
      ObjectMapper mapper,
      RouteTable known,
      GracefulHandler graceful,
      Consumer<Server> jetty) {
    cfg.startup.showJavalinBanner = false;
    cfg.startup.showOldJavalinVersionWarning = false;
    cfg.jetty.host = config.bind();
    cfg.jetty.port = port;
    cfg.http.maxRequestSize = config.maxBodyBytes();
    cfg.jsonMapper(new JavalinJackson(mapper, false));
    cfg.jetty.modifyServer(
        server -> {
          jetty.accept(server);
          server.insertHandler(graceful);
          server.setErrorHandler(new JsonErrorHandler());
        });
    cfg.routes.exception(ApiError.class, HttpServer::writeError);
    cfg.routes.exception(HttpResponseException.class, (e, ctx) -> writeHttpError(e, ctx, known));
    cfg.routes.exception(Exception.class, HttpServer::writeInternalError);
  }

  private static void scrape(Context ctx, PrometheusMeterRegistry metrics) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  /** Refuses work the host cannot take in its current state, before any route runs. */
  private void gate(Context ctx) {
    if (ALWAYS_OPEN.contains(ctx.path())) {
      return;
    }
    HostState state = host.state();
    if (state == HostState.DRAINING || state == HostState.STOPPED) {
      ctx.header("Connection", "close");
      rejectIfStart(ctx, "draining");
      throw ApiError.unavailable(
          "draining", "this host is draining before it stops; retry on another host");
    }
    if (state == HostState.STARTING
        && (ctx.path().startsWith("/executions") || ctx.path().startsWith("/schedules"))) {
      rejectIfStart(ctx, "starting");
      throw ApiError.unavailable("starting", "this host is still starting; retry shortly");
    }
  }

  private void rejectIfStart(Context ctx, String reason) {
    if ("POST".equals(ctx.method().name()) && "/executions".equals(ctx.path())) {
      executions.rejected(reason);
    }
  }

  private static void writeError(ApiError e, Context ctx) {
    if (e.status() == 503) {
      ctx.header("Retry-After", Integer.toString(ApiError.RETRY_AFTER_SECONDS));
    }
    if (e.runId() != null) {
      Map<String, String> body = new LinkedHashMap<>();
      body.put("error", e.code());
      body.put("message", e.getMessage());
      body.put("runId", e.runId());
      ctx.status(e.status()).json(body);
      return;
    }
    ctx.status(e.status()).json(new ErrorBody(e.code(), e.getMessage()));
  }

  private static void writeHttpError(HttpResponseException e, Context ctx, RouteTable known) {
    int status = e.getStatus();
    String code;
    String message;
    Optional<String> allow = status == 404 ? known.allowed(ctx.path()) : Optional.empty();
    if (allow.isPresent()) {
      status = 405;
      ctx.header("Allow", allow.get());
    }
    switch (status) {
      case 404:
        code = "not_found";
        message = "no such endpoint: " + ctx.method().name() + " " + ctx.path();
        break;
      case 405:
        code = "method_not_allowed";
        message =
            ctx.method().name()
                + " is not allowed on "
                + ctx.path()
                + allow.map(a -> "; allowed: " + a).orElse("");
        break;
      case 413:
        code = "payload_too_large";
        message = "the request body is too large";
        break;
      default:
        code = status < 500 ? "bad_request" : "internal_error";
        message = e.getMessage();
    }
    ctx.status(status).json(new ErrorBody(code, message));
  }

  private static void writeInternalError(Exception e, Context ctx) {
    log.error("request failed: method={} path={}", ctx.method().name(), ctx.path(), e);
    ctx.status(500).json(new ErrorBody("internal_error", "internal error; see the host's log"));
  }

  /** Binds and serves; throws when the port is taken (Javalin's message says so). */
  public void start() {
    app.start();
    if (management != null) {
      management.start();
    }
  }

  public int port() {
    return app.port();
  }

  /** The routes the main server has, as {@code "GET /health"}: what the OpenAPI test compares. */
  public List<String> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(e -> e.endpoint)
        .filter(e -> e.method.isHttpMethod())
        .map(e -> e.method.name() + " " + e.path)
        .sorted()
        .toList();
  }

  /** The management server's port, when there is one. */
  public Optional<Integer> managementPort() {
    return management == null ? Optional.empty() : Optional.of(management.port());
  }

  /**
   * Stops accepting connections and lets requests already being handled finish, up to {@code
   * timeout}; then closes what is left.
   */
  @Override
  public void stop(Duration timeout) {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    stop(app, graceful, jetty, deadline);
    if (management != null) {
      stop(management, managementGraceful, managementJetty, deadline);
    }
    calls.close();
  }

  private static void stop(Javalin app, GracefulHandler graceful, Server jetty, long deadline) {
    // First let requests being handled finish, with idle connections still open (closing them
    // early would be harmless, but a slow upload has no I/O for a while and must not be cut).
    while (graceful.getCurrentRequestCount() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (jetty != null) {
      // Jetty waits for every connection to close, giving idle keep-alive ones (a load balancer
      // holds several) 1 s by default; nothing is in progress on them any more.
      for (Connector c : jetty.getConnectors()) {
        if (c instanceof AbstractConnector) {
          ((AbstractConnector) c).setShutdownIdleTimeout(50);
        }
      }
      jetty.setStopTimeout(Math.max(200, (deadline - System.nanoTime()) / 1_000_000));
    }
    try {
      app.stop();
    } catch (RuntimeException e) {
      log.warn("HTTP server stopped with an error: error={}", e.toString());
    }
  }
}
