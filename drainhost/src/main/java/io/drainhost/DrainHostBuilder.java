package io.drainhost;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.config.ConfigException;
import io.drainhost.config.ConfigLoader;
import io.drainhost.config.DrainPolicies;
import io.drainhost.config.DrainPolicy;
import io.drainhost.config.HostConfig;
import io.drainhost.config.HostConfigBuilder;
import io.drainhost.config.Logging;
import io.drainhost.lifecycle.ExitCode;
import io.drainhost.schedules.ScheduleDeclaration;
import io.drainhost.schedules.ScheduleFile;
import io.drainhost.temporal.WorkerSpec;
import io.javalin.util.JavalinBindException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers workflows and activities, then builds a host; nothing starts until {@link
 * DrainHost#start()}. Made by {@link DrainHost#builder()}. What is registered directly runs on the
 * default task queue ({@code DRAINHOST_TASK_QUEUE}); {@link #worker} adds workers on other task
 * queues.
 */
public final class DrainHostBuilder {
  private static final Logger log = LoggerFactory.getLogger(DrainHostBuilder.class);

  private HostConfig config;
  private String taskQueue;
  private final TaskQueueWorker defaultWorker = new TaskQueueWorker();
  private final Map<String, DrainPolicy> drainPolicies = new LinkedHashMap<>();
  private final Map<String, TaskQueueWorker> otherWorkers = new LinkedHashMap<>();
  private final List<ScheduleDeclaration> schedules = new ArrayList<>();

  DrainHostBuilder() {}

  /** Uses this configuration instead of the environment's. */
  public DrainHostBuilder config(HostConfig config) {
    this.config = config;
    return this;
  }

  /** Overrides {@code DRAINHOST_TASK_QUEUE}, the default worker's task queue. */
  public DrainHostBuilder taskQueue(String taskQueue) {
    this.taskQueue = taskQueue;
    return this;
  }

  public DrainHostBuilder registerWorkflowImplementationTypes(Class<?>... types) {
    defaultWorker.registerWorkflowImplementationTypes(types);
    return this;
  }

  public DrainHostBuilder registerActivitiesImplementations(Object... implementations) {
    defaultWorker.registerActivitiesImplementations(implementations);
    return this;
  }

  /** The default worker's workflow task slots; overrides {@code DRAINHOST_WORKFLOW_TASK_SLOTS}. */
  public DrainHostBuilder workflowTaskSlots(int n) {
    defaultWorker.workflowTaskSlots(n);
    return this;
  }

  /** The default worker's activity slots; overrides {@code DRAINHOST_ACTIVITY_SLOTS}. */
  public DrainHostBuilder activitySlots(int n) {
    defaultWorker.activitySlots(n);
    return this;
  }

  /**
   * What a drain does with {@code activityType}'s attempts ({@code "*"}: every other type);
   * overrides {@code DRAINHOST_DRAIN_POLICY} for that type.
   */
  public DrainHostBuilder drainPolicy(String activityType, DrainPolicy policy) {
    drainPolicies.put(activityType, policy);
    return this;
  }

  /**
   * A Temporal Schedule this host declares, in addition to those of {@code DRAINHOST_SCHEDULES}:
   * created or updated in Temporal on every connect, its missed fires handled by its misfire policy
   * and reported. The workflow type must be registered on this host.
   */
  public DrainHostBuilder schedule(ScheduleDeclaration declaration) {
    schedules.add(declaration);
    return this;
  }

  /**
   * A further worker, on {@code taskQueue}: {@code .worker("reports", w ->
   * w.registerActivitiesImplementations(new ReportActivitiesImpl()).activitySlots(4))}. Calling it
   * again with the same queue adds to that worker.
   */
  public DrainHostBuilder worker(String taskQueue, Consumer<TaskQueueWorker> registrations) {
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
   * the process exit code ({@link ExitCode}): 0 a clean drain, 1 any other fatal error, 2 invalid
   * configuration (one line per problem on stderr), 3 work not handed back before the deadline, 4
   * the replay gate refused this build (it never polled). A user's {@code main} passes it to
   * System.exit.
   */
  public int run() {
    return withHost(
        false,
        DrainHost::run,
        e -> {
          log.error("drainhost failed: {}", e.getMessage(), e);
          return ExitCode.FAILED.code();
        });
  }

  /**
   * Runs the replay gate's check against {@code TEMPORAL_ADDRESS} without starting the host (its
   * table on stdout, its log lines on stderr), and returns the process exit code ({@link
   * ExitCode}): 0 every sampled running history replays on this build, 4 some do not (a table on
   * stdout names them), 1 the check could not run, 2 invalid configuration. A pipeline runs it
   * before the image ships: {@code System.exit(builder.replayCheck())}.
   */
  public int replayCheck() {
    return withHost(
        true,
        host -> host.replayCheck(System.out),
        e -> {
          System.out.println("replay check: could not check: " + e.getMessage());
          return ExitCode.FAILED.code();
        });
  }

  /** Configuration from the environment, a host built from it, and the exit code of {@code use}. */
  private int withHost(
      boolean logOnStderr,
      java.util.function.ToIntFunction<DrainHost> use,
      java.util.function.ToIntFunction<RuntimeException> failed) {
    if (config == null) {
      try {
        config = ConfigLoader.fromEnvironment();
      } catch (ConfigException e) {
        printConfigurationProblems(e.problems(), System.getenv("DRAINHOST_LOG_FORMAT"));
        return ExitCode.INVALID_CONFIGURATION.code();
      }
    }
    if (logOnStderr) {
      Logging.configureOnStderr(config.logFormat());
    } else {
      Logging.configure(config.logFormat());
    }
    try {
      return use.applyAsInt(build());
    } catch (ConfigException e) {
      printConfigurationProblems(e.problems(), config.logFormat().name());
      return ExitCode.INVALID_CONFIGURATION.code();
    } catch (JavalinBindException e) {
      // Javalin's message is the advice ("Port already in use. Make sure …"); no trace needed.
      log.error("drainhost failed to start: {}", e.getMessage());
      return ExitCode.FAILED.code();
    } catch (RuntimeException e) {
      return failed.applyAsInt(e);
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
    HostConfig base = config != null ? config : ConfigLoader.fromEnvironment();
    HostConfigBuilder changed = base.toBuilder();
    if (taskQueue != null) {
      changed.taskQueue(taskQueue);
    }
    DrainPolicies policies = base.drainPolicies();
    for (Map.Entry<String, DrainPolicy> e : drainPolicies.entrySet()) {
      policies = policies.with(e.getKey(), e.getValue());
    }
    List<ScheduleDeclaration> allSchedules = new ArrayList<>(declaredInFile(base));
    allSchedules.addAll(schedules);
    config = changed.drainPolicies(policies).build();
    return new DrainHost(config, workerSpecs(config.taskQueue()), allSchedules);
  }

  /** The declarations of the {@code DRAINHOST_SCHEDULES} file; every problem of it at once. */
  private static List<ScheduleDeclaration> declaredInFile(HostConfig config) {
    if (config.schedulesFile().isEmpty()) {
      return List.of();
    }
    java.nio.file.Path file = config.schedulesFile().get();
    ScheduleFile.Result result = ScheduleFile.read(file);
    if (!result.problems().isEmpty()) {
      throw new ConfigException(
          result.problems().stream().map(p -> "DRAINHOST_SCHEDULES=" + file + ": " + p).toList());
    }
    return result.declarations();
  }
}
