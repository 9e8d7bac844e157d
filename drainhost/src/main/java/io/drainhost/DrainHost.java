package io.drainhost;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.drainhost.config.ConfigException;
import io.drainhost.config.ConfigLoader;
import io.drainhost.config.DrainPolicies;
import io.drainhost.config.DrainPolicy;
import io.drainhost.config.HostConfig;
import io.drainhost.config.Logging;
import io.drainhost.ecs.LoadBalancerSilenceWatcher;
import io.drainhost.ecs.TaskMetadataWatcher;
import io.drainhost.http.HostStatus;
import io.drainhost.http.HttpServer;
import io.drainhost.lifecycle.DrainDecider;
import io.drainhost.lifecycle.DrainSequence;
import io.drainhost.lifecycle.HostState;
import io.drainhost.lifecycle.Lifecycle;
import io.drainhost.metrics.MeterNames;
import io.drainhost.metrics.Metrics;
import io.drainhost.schedules.ScheduleDeclaration;
import io.drainhost.schedules.Schedules;
import io.drainhost.temporal.ActivityHandoff;
import io.drainhost.temporal.ConnectionMonitor;
import io.drainhost.temporal.TemporalConnection;
import io.drainhost.temporal.WorkerHost;
import io.drainhost.temporal.WorkerSpec;
import io.drainhost.temporal.WorkflowTypes;
import io.drainhost.tracking.ActivityAttempts;
import io.drainhost.tracking.ActivityDurations;
import io.drainhost.tracking.InflightRegistry;
import io.drainhost.tracking.WorkKind;
import io.javalin.util.JavalinBindException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A drainhost: Javalin and the user's Temporal workers in one JVM, drained gracefully on SIGTERM.
 *
 * <pre>{@code
 * System.exit(DrainHost.builder()
 *     .registerWorkflowImplementationTypes(OrderWorkflowImpl.class)
 *     .registerActivitiesImplementations(new OrderActivitiesImpl())
 *     .run()); // serves until SIGTERM, drains, returns the exit code
 * }</pre>
 */
public final class DrainHost implements HostStatus {
  private static final Logger log = LoggerFactory.getLogger(DrainHost.class);

  private final HostConfig config;
  private final List<WorkerSpec> workerSpecs;
  private final WorkflowTypes workflowTypes;
  private final Schedules schedules;
  private final Lifecycle lifecycle = new Lifecycle();
  private final InflightRegistry registry = new InflightRegistry();
  private final ActivityAttempts attempts = new ActivityAttempts();
  private final ActivityDurations durations = new ActivityDurations();
  private final PrometheusMeterRegistry metrics = Metrics.newRegistry();
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
  private final CompletableFuture<Void> drainStarted = new CompletableFuture<>();
  private TemporalConnection connection;
  private ConnectionMonitor monitor;
  private WorkerHost workers;
  private HttpServer http;
  private volatile DrainSequence drain;
  private String pendingDrain;
  private TaskMetadataWatcher ecsWatcher;
  private LoadBalancerSilenceWatcher lbSilence;

  private DrainHost(Builder b) {
    this.config = b.config != null ? b.config : ConfigLoader.fromEnvironment();
    this.workerSpecs = b.workerSpecs(config.taskQueue());
    this.workflowTypes = new WorkflowTypes(workerSpecs);
    this.schedules = Schedules.of(config.schedules(), workflowTypes, jsonMapper());
    lifecycle.onTransition(
        (from, to) -> {
          if (to == HostState.DRAINING) {
            drainStarted.complete(null);
          }
        });
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers workflows and activities, then builds a host; nothing starts until {@link #start()}.
   * What is registered directly runs on the default task queue ({@code DRAINHOST_TASK_QUEUE});
   * {@link #worker} adds workers on other task queues.
   */
  public static final class Builder {
    private HostConfig config;
    private String taskQueue;
    private final TaskQueueWorker defaultWorker = new TaskQueueWorker();
    private final Map<String, DrainPolicy> drainPolicies = new LinkedHashMap<>();
    private final Map<String, TaskQueueWorker> otherWorkers = new LinkedHashMap<>();
    private final List<ScheduleDeclaration> schedules = new ArrayList<>();

    /** Uses this configuration instead of the environment's. */
    public Builder config(HostConfig config) {
      this.config = config;
      return this;
    }

    /** Overrides {@code DRAINHOST_TASK_QUEUE}, the default worker's task queue. */
    public Builder taskQueue(String taskQueue) {
      this.taskQueue = taskQueue;
      return this;
    }

    public Builder registerWorkflowImplementationTypes(Class<?>... types) {
      defaultWorker.registerWorkflowImplementationTypes(types);
      return this;
    }

    public Builder registerActivitiesImplementations(Object... implementations) {
      defaultWorker.registerActivitiesImplementations(implementations);
      return this;
    }

    /**
     * The default worker's workflow task slots; overrides {@code DRAINHOST_WORKFLOW_TASK_SLOTS}.
     */
    public Builder workflowTaskSlots(int n) {
      defaultWorker.workflowTaskSlots(n);
      return this;
    }

    /** The default worker's activity slots; overrides {@code DRAINHOST_ACTIVITY_SLOTS}. */
    public Builder activitySlots(int n) {
      defaultWorker.activitySlots(n);
      return this;
    }

    /**
     * What a drain does with {@code activityType}'s attempts ({@code "*"}: every other type);
     * overrides {@code DRAINHOST_DRAIN_POLICY} for that type.
     */
    public Builder drainPolicy(String activityType, DrainPolicy policy) {
      drainPolicies.put(activityType, policy);
      return this;
    }

    /**
     * A Temporal Schedule this host declares, in addition to those of {@code DRAINHOST_SCHEDULES}:
     * created or updated in Temporal on every connect, its missed fires handled by its misfire
     * policy and reported. The workflow type must be registered on this host.
     */
    public Builder schedule(ScheduleDeclaration declaration) {
      schedules.add(declaration);
      return this;
    }

    /**
     * A further worker, on {@code taskQueue}: {@code .worker("reports", w ->
     * w.registerActivitiesImplementations(new ReportActivitiesImpl()).activitySlots(4))}. Calling
     * it again with the same queue adds to that worker.
     */
    public Builder worker(String taskQueue, Consumer<TaskQueueWorker> registrations) {
      if (taskQueue == null || taskQueue.isBlank()) {
        throw new IllegalArgumentException("a worker needs a task queue name");
      }
      registrations.accept(otherWorkers.computeIfAbsent(taskQueue, q -> new TaskQueueWorker()));
      return this;
    }

    /**
     * One spec per task queue; the default worker's registrations merge with a same-named worker's.
     */
    private List<WorkerSpec> workerSpecs(String defaultQueue) {
      Map<String, TaskQueueWorker> all = new LinkedHashMap<>();
      all.put(defaultQueue, defaultWorker);
      List<WorkerSpec> specs = new ArrayList<>();
      for (Map.Entry<String, TaskQueueWorker> e : otherWorkers.entrySet()) {
        TaskQueueWorker same = all.putIfAbsent(e.getKey(), e.getValue());
        if (same != null) {
          same.workflowTypes.addAll(e.getValue().workflowTypes);
          same.activities.addAll(e.getValue().activities);
          if (e.getValue().workflowTaskSlots.isPresent()) {
            same.workflowTaskSlots = e.getValue().workflowTaskSlots;
          }
          if (e.getValue().activitySlots.isPresent()) {
            same.activitySlots = e.getValue().activitySlots;
          }
        }
      }
      all.forEach(
          (queue, w) -> {
            if (!w.isEmpty()) {
              specs.add(
                  new WorkerSpec(
                      queue, w.workflowTypes, w.activities, w.workflowTaskSlots, w.activitySlots));
            }
          });
      return specs;
    }

    /**
     * Builds the host from the environment's configuration, runs it until a drain ends and returns
     * the process exit code: 0 clean, 2 invalid configuration (one line per problem on stderr), 3
     * work not handed back, 1 any other failure. A user's {@code main} passes it to System.exit.
     */
    public int run() {
      if (config == null) {
        try {
          config = ConfigLoader.fromEnvironment();
        } catch (ConfigException e) {
          printConfigurationProblems(e.problems(), System.getenv("DRAINHOST_LOG_FORMAT"));
          return 2;
        }
      }
      Logging.configure(config.logFormat());
      try {
        return build().run();
      } catch (ConfigException e) {
        printConfigurationProblems(e.problems(), config.logFormat().name());
        return 2;
      } catch (JavalinBindException e) {
        // Javalin's message is the advice ("Port already in use. Make sure …"); no trace needed.
        log.error("drainhost failed to start: {}", e.getMessage());
        return 1;
      } catch (RuntimeException e) {
        log.error("drainhost failed: {}", e.getMessage(), e);
        return 1;
      }
    }

    /**
     * One line per problem on stderr; JSON objects when the log format asks for JSON (a log shipper
     * must be able to parse the one failure that matters most), plain text otherwise.
     */
    static void printConfigurationProblems(List<String> problems, String logFormat) {
      boolean json = logFormat != null && logFormat.trim().equalsIgnoreCase("json");
      ObjectMapper mapper = new ObjectMapper();
      for (String problem : problems) {
        String line = "drainhost: invalid configuration: " + problem;
        if (json) {
          Map<String, Object> event = new LinkedHashMap<>();
          event.put("timestamp", System.currentTimeMillis());
          event.put("level", "ERROR");
          event.put("loggerName", "io.drainhost.config");
          event.put("message", line);
          try {
            line = mapper.writeValueAsString(event);
          } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            // a map of strings and a number always serializes
          }
        }
        System.err.println(line);
      }
    }

    public DrainHost build() {
      boolean anyWorkflow =
          !defaultWorker.workflowTypes.isEmpty()
              || otherWorkers.values().stream().anyMatch(w -> !w.workflowTypes.isEmpty());
      if (!anyWorkflow) {
        throw new IllegalStateException("register at least one workflow implementation type");
      }
      if (taskQueue != null) {
        config =
            (config != null ? config : ConfigLoader.fromEnvironment()).withTaskQueue(taskQueue);
      }
      if (!drainPolicies.isEmpty()) {
        HostConfig base = config != null ? config : ConfigLoader.fromEnvironment();
        DrainPolicies policies = base.drainPolicies();
        for (Map.Entry<String, DrainPolicy> e : drainPolicies.entrySet()) {
          policies = policies.with(e.getKey(), e.getValue());
        }
        config = base.withDrainPolicies(policies);
      }
      if (!schedules.isEmpty()) {
        HostConfig base = config != null ? config : ConfigLoader.fromEnvironment();
        List<ScheduleDeclaration> all = new ArrayList<>(base.schedules());
        all.addAll(schedules);
        config = base.withSchedules(all);
      }
      return new DrainHost(this);
    }
  }

  /**
   * Starts HTTP first (liveness answers during startup), then Temporal and the workers, then moves
   * to SERVING. Returns without waiting for Temporal: workers start when it is reachable.
   */
  public synchronized DrainHost start() {
    if (http != null) {
      throw new IllegalStateException("a DrainHost starts once");
    }
    String identity = identity();
    log.info(
        "drainhost starting: identity={} taskQueues={} temporal={} apiToken={}",
        identity,
        workerSpecs.stream().map(WorkerSpec::taskQueue).toList(),
        config.temporal(),
        config.apiToken().map(Object::toString).orElse("unset"));
    connection =
        TemporalConnection.open(config.temporal(), metrics, identity, config.requestTimeout());
    monitor =
        new ConnectionMonitor(
            connection, config.temporalCheckInterval(), config.temporalBackoffMax(), metrics);
    workers =
        new WorkerHost(
            config,
            connection,
            workerSpecs,
            registry,
            attempts,
            durations,
            schedules.isEmpty() ? List.of() : List.of(schedules.guard()));
    http =
        new HttpServer(
            config,
            this,
            registry,
            identity,
            connection.client(),
            workflowTypes,
            monitor,
            metrics,
            jsonMapper(),
            schedules);
    lbSilence =
        config
            .lbSilenceAfter()
            .map(
                after ->
                    new LoadBalancerSilenceWatcher(
                        after,
                        new LoadBalancerSilenceWatcher.Polling() {
                          @Override
                          public void suspend() {
                            workers.suspendPolling();
                          }

                          @Override
                          public void resume() {
                            workers.resumePolling();
                          }
                        }))
            .orElse(null);
    ecsWatcher =
        config
            .ecsMetadataUri()
            .map(uri -> new TaskMetadataWatcher(uri, config.ecsMetadataPoll(), this::drain))
            .orElse(null);
    drain =
        new DrainSequence(
            config,
            lifecycle,
            workers,
            registry,
            new ActivityHandoff(connection, attempts, registry),
            new DrainDecider(config.drainPolicies(), durations),
            http,
            () -> {
              closeQuietly(ecsWatcher);
              closeQuietly(lbSilence);
              schedules.close();
              monitor.close();
              connection.close();
            },
            metrics);
    bindMeters();
    http.start();
    log.info("http listening: bind={} port={}", config.bind(), http.port());
    http.managementPort()
        .ifPresent(
            p ->
                log.info(
                    "management listening: bind={} port={} paths=/metrics,/inflight",
                    config.bind(),
                    p));
    monitor.onConnected(this::onTemporalConnected);
    schedules.start(
        connection.stubs(),
        connection.client(),
        metrics,
        Integer.toHexString(config.temporal().toString().hashCode()));
    monitor.onConnected(schedules::onConnected);
    monitor.start();
    if (lbSilence != null) {
      lbSilence.start();
    }
    if (ecsWatcher != null) {
      ecsWatcher.start();
    }
    if (!lifecycle.transition(HostState.STARTING, HostState.SERVING)) {
      log.info("a drain was requested during startup");
    } else if (!workers.polling()) {
      log.warn("serving without workers: Temporal is not reachable yet; workers start when it is");
    }
    if (pendingDrain != null) {
      launchDrain(pendingDrain);
    }
    return this;
  }

  /** Runs on the monitor thread after each successful Temporal check. */
  private void onTemporalConnected(boolean afterOutage) {
    HostState s = lifecycle.state();
    if (s != HostState.STARTING && s != HostState.SERVING) {
      return;
    }
    if (afterOutage) {
      workers.restart();
    } else if (!workers.polling()) {
      workers.start(); // does nothing while polling is suspended
    }
  }

  private void bindMeters() {
    for (WorkKind kind : WorkKind.values()) {
      Gauge.builder(MeterNames.INFLIGHT, registry, r -> r.count(kind))
          .tag("kind", kind.wireName())
          .description("work executing in this process")
          .register(metrics);
    }
    Gauge.builder(MeterNames.POLLING_SUSPENDED, this, h -> h.pollingSuspended() ? 1 : 0)
        .description("1 while this host takes no new tasks (draining, suspended, or not started)")
        .register(metrics);
    Gauge.builder(MeterNames.DRAINING, lifecycle, l -> l.state() == HostState.DRAINING ? 1 : 0)
        .description("1 while draining, else 0")
        .register(metrics);
  }

  /**
   * Begins a drain on its own thread; the same path serves signals, ECS task metadata and code.
   * Returns false when a drain already began (a second SIGTERM changes nothing).
   */
  public boolean drain(String trigger) {
    if (!lifecycle.beginDrain()) {
      log.info("drain already in progress or done; ignoring trigger={}", trigger);
      return false;
    }
    // start() holds this lock while it builds the host: a drain requested meanwhile (a SIGTERM
    // during startup) waits for it, then stops whatever was started.
    synchronized (this) {
      if (drain == null) {
        pendingDrain = trigger;
        return true;
      }
    }
    launchDrain(trigger);
    return true;
  }

  private void launchDrain(String trigger) {
    Thread t =
        new Thread(
            () -> {
              try {
                exitCode.complete(drain.run(trigger));
              } catch (Throwable e) {
                log.error("drain failed", e);
                exitCode.complete(1);
              }
            },
            "drainhost-drain");
    t.start();
  }

  /** Blocks until a drain has finished; returns the process exit code it decided. */
  public int awaitExit() {
    return exitCode.join();
  }

  /**
   * Starts, drains on SIGTERM or SIGINT (also during startup), returns the exit code once drained.
   */
  public int run() {
    Signals.onTermination(this::drain);
    start();
    return awaitExit();
  }

  public int port() {
    return http.port();
  }

  /** The management port ({@code DRAINHOST_MANAGEMENT_PORT}), when there is one. */
  public java.util.Optional<Integer> managementPort() {
    return http.managementPort();
  }

  /** The HTTP routes of the main port, as {@code "GET /health"}, for tests and diagnostics. */
  public List<String> routes() {
    return http.routes();
  }

  public PrometheusMeterRegistry meterRegistry() {
    return metrics;
  }

  @Override
  public HostState state() {
    return lifecycle.state();
  }

  @Override
  public int inflight() {
    return registry.total();
  }

  @Override
  public boolean temporalConnected() {
    return monitor != null && monitor.connected();
  }

  @Override
  public Instant temporalSince() {
    return monitor != null ? monitor.since() : Instant.now();
  }

  /** True unless workers poll now: reported only once polling has really stopped. */
  @Override
  public boolean pollingSuspended() {
    return workers == null || !workers.polling();
  }

  @Override
  public CompletableFuture<Void> drainStarted() {
    return drainStarted;
  }

  @Override
  public void readinessProbed(String userAgent) {
    if (lbSilence != null) {
      lbSilence.healthCheck(userAgent);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      log.debug("close failed: {}", e.toString());
    }
  }

  @Override
  public boolean readinessRequiresTemporal() {
    return config.readinessRequiresTemporal();
  }

  private static String identity() {
    return ManagementFactory.getRuntimeMXBean().getName();
  }

  /**
   * The HTTP API's JSON: strict on input. Trailing content after the JSON value is an error, and an
   * input is never coerced into a workflow's parameter type ({@code 5} is no name, {@code 1.5} and
   * {@code "5"} are no whole number of seconds).
   */
  private static ObjectMapper jsonMapper() {
    ObjectMapper mapper =
        new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
    for (CoercionInputShape shape :
        new CoercionInputShape[] {
          CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
        }) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    return mapper;
  }
}
