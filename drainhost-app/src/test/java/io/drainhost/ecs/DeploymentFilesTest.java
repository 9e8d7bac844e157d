package io.drainhost.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.config.ConfigLoader;
import io.drainhost.config.HostConfig;
import io.drainhost.http.HttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Fails when the shipped ECS files drift from the code: a task definition or Dockerfile that would
 * get busy tasks killed, SIGKILLed mid-drain, or probed on the wrong port.
 */
class DeploymentFilesTest {
  /**
   * The repository, where the shipped files live (the build passes it; tests run in the module).
   */
  static final Path ROOT = Path.of(System.getProperty("drainhost.root", ".."));

  static final Path TASK_DEFINITION = ROOT.resolve(Path.of("ecs", "task-definition.json"));
  static final Path SERVICE_SETTINGS = ROOT.resolve(Path.of("ecs", "service-settings.json"));
  static final Path DOCKERFILE = ROOT.resolve("Dockerfile");
  static final int FARGATE_MAX_STOP_TIMEOUT = 120;

  static JsonNode container() throws IOException {
    JsonNode task = new ObjectMapper().readTree(TASK_DEFINITION.toFile());
    assertEquals(1, task.path("containerDefinitions").size(), "one container");
    return task.path("containerDefinitions").get(0);
  }

  static Map<String, String> environment(JsonNode container) {
    Map<String, String> env = new HashMap<>();
    container
        .path("environment")
        .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    // Secrets arrive as variables too; a placeholder stands in for the value.
    container
        .path("secrets")
        .forEach(
            e -> env.put(e.path("name").asText(), "secret-from-" + e.path("valueFrom").asText()));
    return env;
  }

  @Test
  void environmentIsAValidConfigurationThatFitsTheStopTimeout() throws IOException {
    JsonNode c = container();
    HostConfig config = ConfigLoader.load(environment(c)); // throws on any invalid value
    int stopTimeout = c.path("stopTimeout").asInt(-1);
    assertTrue(
        stopTimeout > 0 && stopTimeout <= FARGATE_MAX_STOP_TIMEOUT,
        "stopTimeout must be set, at most "
            + FARGATE_MAX_STOP_TIMEOUT
            + " s on Fargate: "
            + stopTimeout);
    assertEquals(
        Duration.ofSeconds(stopTimeout),
        config.stopTimeout(),
        "DRAINHOST_STOP_TIMEOUT must equal the container's stopTimeout");
    assertTrue(
        config
                .shutdownTimeout()
                .plus(config.handoffMargin())
                .compareTo(Duration.ofSeconds(stopTimeout))
            <= 0,
        "shutdown timeout + margin must fit inside stopTimeout");
    assertFalse(config.temporal().embedded(), "a deployed host needs TEMPORAL_ADDRESS");
  }

  @Test
  void initProcessForwardsSignals() throws IOException {
    assertTrue(
        container().path("linuxParameters").path("initProcessEnabled").asBoolean(false),
        "linuxParameters.initProcessEnabled must be true");
  }

  @Test
  void containerHealthCheckProbesLivenessOnTheServedPort() throws IOException {
    JsonNode c = container();
    HostConfig config = ConfigLoader.load(environment(c));
    String command = joined(c.path("healthCheck").path("command"));
    assertTrue(
        command.contains(HttpServer.LIVENESS_PATH), "health check must probe liveness: " + command);
    assertFalse(
        command.matches("(?s).*" + Pattern.quote(HttpServer.READINESS_PATH) + "(?![/\\w]).*"),
        "never readiness: a draining task would be killed: " + command);
    assertTrue(
        HttpServer.ALWAYS_OPEN.contains(HttpServer.LIVENESS_PATH),
        "liveness answers while draining");
    int mapped = c.path("portMappings").get(0).path("containerPort").asInt();
    assertEquals(config.port(), mapped, "portMappings must expose DRAINHOST_PORT");
    assertEquals(
        config.port(),
        probedPort(command, environment(c)),
        "the probe must use the served port: " + command);
    assertTrue(
        c.path("healthCheck").path("startPeriod").asInt(0) > 0, "a startPeriod covers JVM startup");
  }

  @Test
  void logsAreJsonThroughAwslogsAndMetricsAreScrapable() throws IOException {
    JsonNode c = container();
    assertEquals("awslogs", c.path("logConfiguration").path("logDriver").asText());
    assertEquals("json", environment(c).get("DRAINHOST_LOG_FORMAT"));
    JsonNode labels = c.path("dockerLabels");
    HostConfig config = ConfigLoader.load(environment(c));
    // With a management port, /metrics is only there: Prometheus must scrape that port, and the
    // task must map it; the load balancer's port stays the main one.
    int port = config.managementPort().orElse(config.port());
    assertEquals(Integer.toString(port), labels.path("PROMETHEUS_EXPORTER_PORT").asText());
    assertEquals(Integer.toString(port), labels.path("prometheus.io/port").asText());
    assertEquals(HttpServer.METRICS_PATH, labels.path("PROMETHEUS_EXPORTER_PATH").asText());
    List<Integer> mapped = new java.util.ArrayList<>();
    c.path("portMappings").forEach(m -> mapped.add(m.path("containerPort").asInt()));
    assertTrue(mapped.contains(port), "portMappings must expose the metrics port " + port);
  }

  @Test
  void loadBalancerChecksReadinessAndItsSilenceSettingFitsItsInterval() throws IOException {
    JsonNode tg = new ObjectMapper().readTree(SERVICE_SETTINGS.toFile()).path("targetGroup");
    assertEquals(HttpServer.READINESS_PATH, tg.path("HealthCheckPath").asText());
    assertEquals(
        container().path("portMappings").get(0).path("containerPort").asInt(),
        tg.path("Port").asInt());
    HostConfig config = ConfigLoader.load(environment(container()));
    config
        .lbSilenceAfter()
        .ifPresent(
            after -> {
              long interval = tg.path("HealthCheckIntervalSeconds").asLong();
              assertTrue(
                  after.toSeconds() >= 3 * interval,
                  "silence must span several ALB intervals or a late check suspends polling: "
                      + after);
            });
  }

  /**
   * A new task is 503 until its replay gate decides (at most DRAINHOST_REPLAY_TIMEOUT after its
   * start), then needs the target group's healthy threshold: the service's grace period covers
   * both, or ECS replaces tasks that are still checking. The liveness check's start period only
   * covers the JVM's start.
   */
  @Test
  void theGracePeriodCoversTheReplayGateAndTheTargetGroupsHealthyThreshold() throws IOException {
    JsonNode settings = new ObjectMapper().readTree(SERVICE_SETTINGS.toFile());
    JsonNode tg = settings.path("targetGroup");
    HostConfig config = ConfigLoader.load(environment(container()));
    long needed =
        5
            + config.replay().timeout().toSeconds()
            + tg.path("HealthyThresholdCount").asLong()
                * tg.path("HealthCheckIntervalSeconds").asLong();
    long grace = settings.path("service").path("healthCheckGracePeriodSeconds").asLong();
    assertTrue(
        grace >= needed,
        "healthCheckGracePeriodSeconds "
            + grace
            + " < start + replay timeout + healthy checks "
            + needed);
    assertTrue(
        container().path("healthCheck").path("startPeriod").asInt() >= 10,
        "the liveness start period covers the JVM's start");
  }

  @Test
  void dockerfileBuildsInStagesRunsAsNonRootAndLetsTheJvmGetSigterm() throws IOException {
    // Logical instructions: continuation lines joined, comments dropped.
    String source = Files.readString(DOCKERFILE).replaceAll("\\\\\r?\n\\s*", " ");
    List<String> lines =
        source
            .lines()
            .map(String::strip)
            .filter(l -> !l.startsWith("#") && !l.isEmpty())
            .collect(Collectors.toList());
    String text = String.join("\n", lines);
    assertTrue(lines.stream().filter(l -> l.startsWith("FROM ")).count() >= 2, "multi-stage build");
    assertTrue(text.contains("COPY --from="), "the runtime stage copies the built jar");
    String user =
        lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElse("USER root");
    assertFalse(user.matches("USER (root|0)(:.*)?"), "runs as non-root: " + user);
    String entrypoint =
        lines.stream().filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElse("");
    assertTrue(
        entrypoint.matches("ENTRYPOINT \\[\\s*\"java\".*\\]"),
        "exec-form ENTRYPOINT running java: " + entrypoint);
    String healthcheck =
        lines.stream().filter(l -> l.startsWith("HEALTHCHECK")).findFirst().orElse("");
    assertTrue(healthcheck.contains(" CMD "), "HEALTHCHECK present: " + healthcheck);
    assertTrue(
        healthcheck.contains(HttpServer.LIVENESS_PATH),
        "HEALTHCHECK probes liveness: " + healthcheck);
    assertFalse(
        healthcheck.contains("\"java\"") || healthcheck.contains(" java "),
        "no second JVM per probe");
    assertTrue(text.contains("EXPOSE " + HostConfig.defaults().port()), "EXPOSE the default port");
    assertTrue(text.contains("MaxRAMPercentage"), "heap sized from the container limit");
  }

  @Test
  void dashboardQueriesOnlyMetersTheHostExports() throws Exception {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(ROOT.resolve(Path.of("ecs", "grafana-dashboard.json")).toFile());
    java.util.Set<String> exported = new java.util.HashSet<>();
    for (java.lang.reflect.Field f : io.drainhost.metrics.MeterNames.class.getFields()) {
      String prometheus = ((String) f.get(null)).replace('.', '_');
      exported.add(prometheus);
      for (String suffix :
          new String[] {
            "_total", "_seconds_count", "_seconds_sum", "_seconds_max", "_seconds_bucket"
          }) {
        exported.add(prometheus + suffix);
      }
    }
    Matcher m =
        Pattern.compile("\\b(drainhost_[a-z_]+|http_server_[a-z_]+)\\{")
            .matcher(dashboard.toString());
    int found = 0;
    while (m.find()) {
      found++;
      assertTrue(
          exported.contains(m.group(1)), "dashboard queries an unknown meter: " + m.group(1));
    }
    assertTrue(found >= 10, "the dashboard shows drainhost's meters");
  }

  private static String joined(JsonNode array) {
    StringBuilder sb = new StringBuilder();
    array.forEach(n -> sb.append(n.asText()).append(' '));
    return sb.toString();
  }

  /** The port a probe command uses: a literal, or ${DRAINHOST_PORT:-default} read from the env. */
  /**
   * The port the probe connects to inside the container: a literal port, or {@code
   * ${DRAINHOST_PORT:-N}} as the shell resolves it from the task's environment.
   */
  private static int probedPort(String command, Map<String, String> env) {
    Matcher m =
        Pattern.compile("127\\.0\\.0\\.1[/:](\\$\\{DRAINHOST_PORT:-(\\d+)}|(\\d+))")
            .matcher(command);
    assertTrue(m.find(), "probe targets 127.0.0.1: " + command);
    if (m.group(3) != null) {
      return Integer.parseInt(m.group(3));
    }
    String set = env.get("DRAINHOST_PORT");
    return Integer.parseInt(set != null && !set.isBlank() ? set.trim() : m.group(2));
  }

  static final Path SCALING_POLICY = ROOT.resolve(Path.of("ecs", "scaling-policy.json"));

  /**
   * The scaling policy reads what the hosts write: the EMF namespace, metric and dimensions of
   * {@link io.drainhost.backlog.EmfLine} (a versioned host's: its own version's backlog), for the
   * task definition's queue, with EMF on; its math names only metrics it defines and returns
   * exactly one series, as target tracking requires.
   */
  @Test
  void theScalingPolicyTracksTheBacklogTheHostsReportPerTask() throws IOException {
    JsonNode policy = new ObjectMapper().readTree(SCALING_POLICY.toFile());
    JsonNode target = policy.path("scalableTarget");
    JsonNode scaling = policy.path("scalingPolicy");
    assertEquals("ecs:service:DesiredCount", target.path("ScalableDimension").asText());
    assertEquals(target.path("ResourceId"), scaling.path("ResourceId"));
    assertEquals("TargetTrackingScaling", scaling.path("PolicyType").asText());
    JsonNode config = scaling.path("TargetTrackingScalingPolicyConfiguration");
    assertTrue(config.path("TargetValue").asDouble() > 0, config.toString());
    JsonNode metrics = config.path("CustomizedMetricSpecification").path("Metrics");

    Map<String, String> env = environment(container());
    assertEquals("on", env.get("DRAINHOST_EMF"), "the task definition writes the backlog");
    JsonNode backlog = null;
    List<String> ids = new java.util.ArrayList<>();
    int returned = 0;
    for (JsonNode m : metrics) {
      ids.add(m.path("Id").asText());
      returned += m.path("ReturnData").asBoolean() ? 1 : 0;
      if (m.at("/MetricStat/Metric/Namespace")
          .asText()
          .equals(io.drainhost.backlog.EmfLine.NAMESPACE)) {
        backlog = m;
      }
    }
    assertEquals(1, returned, "target tracking uses exactly one returned series");
    assertTrue(backlog != null, "a metric of the drainhost namespace: " + metrics);
    JsonNode metric = backlog.at("/MetricStat/Metric");
    assertEquals(io.drainhost.backlog.EmfLine.BACKLOG, metric.path("MetricName").asText());
    Map<String, String> dims = new HashMap<>();
    metric
        .path("Dimensions")
        .forEach(d -> dims.put(d.path("Name").asText(), d.path("Value").asText()));
    // A versioned host's set: the task definition leaves the version to drainhost-deploy, which
    // sets it on each revision and copies the policy with the new build id.
    assertEquals(
        Map.of(
            "TaskQueue",
            env.get("DRAINHOST_TASK_QUEUE"),
            "Kind",
            "activity",
            io.drainhost.backlog.EmfLine.DEPLOYMENT,
            "DEPLOYMENT",
            io.drainhost.backlog.EmfLine.BUILD_ID,
            "BUILD_ID"),
        dims,
        "exactly the dimension set a versioned host's EMF lines declare");
    for (JsonNode m : metrics) {
      if (m.has("Expression")) {
        Matcher names =
            Pattern.compile("\\b([a-z][a-z0-9_]*)\\b").matcher(m.path("Expression").asText());
        while (names.find()) {
          assertTrue(ids.contains(names.group(1)), names.group(1) + " is defined: " + ids);
        }
      }
    }
  }
}
