package io.drainhost.config;

import io.drainhost.time.Durations;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds the one {@link HostConfig} from environment variables. Reports every problem at once, each
 * naming the variable, the value and the rule, so an operator fixes a task definition in one go.
 */
public final class ConfigLoader {
  static final long MAX_BODY_LIMIT = 64L * 1024 * 1024;

  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  private ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  /** Loads from the process environment. */
  public static HostConfig fromEnvironment() {
    return load(System.getenv());
  }

  /** Loads from the given variables; throws {@link ConfigException} listing every problem. */
  public static HostConfig load(Map<String, String> env) {
    return new ConfigLoader(env).build();
  }

  private HostConfig build() {
    int port = integer("DRAINHOST_PORT", 8080, 0, 65535);
    Optional<Integer> managementPort =
        raw("DRAINHOST_MANAGEMENT_PORT")
            .map(v -> integer("DRAINHOST_MANAGEMENT_PORT", 0, 0, 65535));
    if (managementPort.isPresent() && managementPort.get() != 0 && managementPort.get() == port) {
      problems.add(
          "DRAINHOST_MANAGEMENT_PORT="
              + managementPort.get()
              + ": must differ from DRAINHOST_PORT="
              + port
              + " (it keeps /metrics and /inflight off the port the load balancer exposes)");
    }
    String bind = bindAddress();
    String taskQueue = text("DRAINHOST_TASK_QUEUE", "drainhost");
    Duration shutdown = duration("DRAINHOST_SHUTDOWN_TIMEOUT", "25s", Duration.ofMillis(1));
    Duration stop = duration("DRAINHOST_STOP_TIMEOUT", "30s", Duration.ofSeconds(1));
    Duration margin = duration("DRAINHOST_HANDOFF_MARGIN", "3s", Duration.ofSeconds(1));
    long maxBody = integer("DRAINHOST_MAX_BODY_BYTES", 1_048_576, 1, MAX_BODY_LIMIT);
    LogFormat logFormat = choice("DRAINHOST_LOG_FORMAT", LogFormat.TEXT, LogFormat.class);
    Optional<URI> ecsUri = uri("ECS_CONTAINER_METADATA_URI_V4");
    Duration ecsPoll = duration("DRAINHOST_ECS_METADATA_POLL", "1s", Duration.ofMillis(100));
    Optional<Duration> lbSilence = optionalDuration("DRAINHOST_LB_SILENCE_AFTER");
    StickyExecution sticky =
        choice("DRAINHOST_STICKY_EXECUTION", StickyExecution.AUTO, StickyExecution.class);
    Duration checkInterval =
        duration("DRAINHOST_TEMPORAL_CHECK_INTERVAL", "5s", Duration.ofMillis(100));
    Duration backoffMax = duration("DRAINHOST_TEMPORAL_BACKOFF_MAX", "30s", Duration.ofSeconds(1));
    Duration requestTimeout = duration("DRAINHOST_REQUEST_TIMEOUT", "5s", Duration.ofMillis(100));
    int maxWaiters = integer("DRAINHOST_MAX_WAITERS", 2000, 0, 100_000);
    boolean readinessRequiresTemporal =
        choice("DRAINHOST_READINESS_REQUIRES_TEMPORAL", YesNo.FALSE, YesNo.class) == YesNo.TRUE;
    SlotLimits slots =
        new SlotLimits(
            integer("DRAINHOST_WORKFLOW_TASK_SLOTS", 200, 1, SlotLimits.MAX),
            integer("DRAINHOST_ACTIVITY_SLOTS", 200, 1, SlotLimits.MAX),
            choice("DRAINHOST_SLOT_TUNER", SlotTuner.FIXED, SlotTuner.class));
    DrainPolicies drainPolicies =
        raw("DRAINHOST_DRAIN_POLICY")
            .map(
                v -> {
                  try {
                    return DrainPolicies.parse(v);
                  } catch (IllegalArgumentException e) {
                    problems.add("DRAINHOST_DRAIN_POLICY=" + v + ": " + e.getMessage());
                    return DrainPolicies.DEFAULT;
                  }
                })
            .orElse(DrainPolicies.DEFAULT);
    Optional<ApiToken> apiToken = apiToken();
    WorkflowIdReuse workflowIdReuse =
        choice("DRAINHOST_WORKFLOW_ID_REUSE", WorkflowIdReuse.REJECT, WorkflowIdReuse.class);
    Optional<Path> schedulesFile = schedulesFile();
    ReplaySettings replay =
        new ReplaySettings(
            choice("DRAINHOST_REPLAY_GATE", ReplaySettings.Mode.ENFORCE, ReplaySettings.Mode.class),
            integer("DRAINHOST_REPLAY_SAMPLE", 20, 0, ReplaySettings.MAX_SAMPLE),
            duration("DRAINHOST_REPLAY_TIMEOUT", "30s", Duration.ofSeconds(1)));
    Versioning versioning = versioning(ecsUri);
    FleetSettings fleet = fleet();
    TemporalTarget temporal = temporal(ecsUri);

    if (shutdown != null
        && stop != null
        && margin != null
        && shutdown.plus(margin).compareTo(stop) > 0) {
      problems.add(
          "DRAINHOST_SHUTDOWN_TIMEOUT="
              + Durations.format(shutdown)
              + " plus DRAINHOST_HANDOFF_MARGIN="
              + Durations.format(margin)
              + " must fit inside DRAINHOST_STOP_TIMEOUT="
              + Durations.format(stop)
              + " (the ECS stopTimeout): shutdown timeout + margin <= stop timeout");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return HostConfigBuilder.builder()
        .port(port)
        .managementPort(managementPort)
        .bind(bind)
        .taskQueue(taskQueue)
        .shutdownTimeout(shutdown)
        .stopTimeout(stop)
        .handoffMargin(margin)
        .maxBodyBytes(maxBody)
        .logFormat(logFormat)
        .ecsMetadataUri(ecsUri)
        .ecsMetadataPoll(ecsPoll)
        .lbSilenceAfter(lbSilence)
        .stickyExecution(sticky)
        .temporalCheckInterval(checkInterval)
        .temporalBackoffMax(backoffMax)
        .requestTimeout(requestTimeout)
        .maxWaiters(maxWaiters)
        .readinessRequiresTemporal(readinessRequiresTemporal)
        .slots(slots)
        .drainPolicies(drainPolicies)
        .workflowIdReuse(workflowIdReuse)
        .apiToken(apiToken)
        .schedulesFile(schedulesFile)
        .replay(replay)
        .versioning(versioning)
        .fleet(fleet)
        .temporal(temporal)
        .build();
  }

  /** The {@code DRAINHOST_SCHEDULES} file, which must exist; its declarations are read later. */
  private Optional<Path> schedulesFile() {
    Optional<String> file = raw("DRAINHOST_SCHEDULES");
    if (file.isEmpty()) {
      return Optional.empty();
    }
    Path path = Path.of(file.get());
    if (!Files.isRegularFile(path)) {
      problems.add("DRAINHOST_SCHEDULES=" + file.get() + ": no such file");
    }
    return Optional.of(path);
  }

  private enum YesNo {
    TRUE,
    FALSE
  }

  private Optional<String> raw(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /**
   * An IP address of this host, or the wildcard: a name or an address of another machine would only
   * fail later, at bind time, as a misleading "port already in use".
   */
  private String bindAddress() {
    String v = text("DRAINHOST_BIND", "0.0.0.0");
    String rule = ": must be an IP address of this host, e.g. 0.0.0.0 (all) or 127.0.0.1";
    boolean literal = v.matches("[0-9.]+") || v.contains(":");
    if (!literal) {
      problems.add("DRAINHOST_BIND=" + v + rule);
      return v;
    }
    try {
      java.net.InetAddress address = java.net.InetAddress.getByName(v);
      if (!address.isAnyLocalAddress()
          && !address.isLoopbackAddress()
          && java.net.NetworkInterface.getByInetAddress(address) == null) {
        problems.add("DRAINHOST_BIND=" + v + rule + " (no interface of this host has it)");
      }
    } catch (java.io.IOException e) {
      problems.add("DRAINHOST_BIND=" + v + rule);
    }
    return v;
  }

  /**
   * From the environment (ECS injects secrets as variables) or from a file (Docker and Kubernetes
   * mount them); never both, never empty. No message quotes the value.
   */
  private Optional<ApiToken> apiToken() {
    String direct = env.get("DRAINHOST_API_TOKEN");
    String file = env.get("DRAINHOST_API_TOKEN_FILE");
    if (direct != null && file != null) {
      problems.add("DRAINHOST_API_TOKEN and DRAINHOST_API_TOKEN_FILE are both set: set one");
      return Optional.empty();
    }
    if (direct != null) {
      if (direct.isBlank()) {
        problems.add("DRAINHOST_API_TOKEN is set but empty: unset it, or give the token");
        return Optional.empty();
      }
      return Optional.of(new ApiToken(direct.strip()));
    }
    if (file == null) {
      return Optional.empty();
    }
    try {
      String secret = java.nio.file.Files.readString(java.nio.file.Path.of(file.strip())).strip();
      if (secret.isEmpty()) {
        problems.add("DRAINHOST_API_TOKEN_FILE=" + file + ": the file is empty");
        return Optional.empty();
      }
      return Optional.of(new ApiToken(secret));
    } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
      problems.add(
          "DRAINHOST_API_TOKEN_FILE="
              + file
              + ": cannot be read ("
              + e.getClass().getSimpleName()
              + ")");
      return Optional.empty();
    }
  }

  private String text(String name, String fallback) {
    return raw(name).orElse(fallback);
  }

  private int integer(String name, int fallback, long min, long max) {
    return (int) integer(name, (long) fallback, min, max);
  }

  private long integer(String name, long fallback, long min, long max) {
    Optional<String> v = raw(name);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(v.get());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the rule
    }
    problems.add(name + "=" + v.get() + ": must be a whole number from " + min + " to " + max);
    return fallback;
  }

  private Duration duration(String name, String fallback, Duration min) {
    String v = raw(name).orElse(fallback);
    return parseDuration(name, v, min);
  }

  private Optional<Duration> optionalDuration(String name) {
    Optional<String> v = raw(name);
    if (v.isEmpty() || v.get().equalsIgnoreCase("off")) {
      return Optional.empty();
    }
    return Optional.ofNullable(parseDuration(name, v.get(), Duration.ofSeconds(1)));
  }

  private Duration parseDuration(String name, String v, Duration min) {
    try {
      Duration d = Durations.parse(v);
      if (d.compareTo(min) >= 0) {
        return d;
      }
      problems.add(name + "=" + v + ": must be at least " + Durations.format(min));
    } catch (IllegalArgumentException e) {
      problems.add(name + "=" + v + ": " + e.getMessage());
    }
    return null;
  }

  private <E extends Enum<E>> E choice(String name, E fallback, Class<E> type) {
    Optional<String> v = raw(name);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, v.get().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E c : type.getEnumConstants()) {
        allowed.add(c.name().toLowerCase(Locale.ROOT));
      }
      problems.add(name + "=" + v.get() + ": must be one of " + String.join(", ", allowed));
      return fallback;
    }
  }

  /**
   * Scale-in protection ({@code DRAINHOST_SCALE_IN_PROTECTION}, {@code
   * DRAINHOST_SCALE_IN_PROTECTION_MAX}, the agent's {@code ECS_AGENT_URI}) and {@code
   * DRAINHOST_EMF}.
   */
  private FleetSettings fleet() {
    FleetSettings.Protection protection = FleetSettings.Protection.OFF;
    Optional<String> mode = raw("DRAINHOST_SCALE_IN_PROTECTION");
    if (mode.isPresent()) {
      String m = mode.get().toLowerCase(Locale.ROOT);
      if (m.equals("long-work")) {
        protection = FleetSettings.Protection.LONG_WORK;
      } else if (!m.equals("off")) {
        problems.add(
            "DRAINHOST_SCALE_IN_PROTECTION=" + mode.get() + ": must be one of off, long-work");
      }
    }
    Duration max = duration("DRAINHOST_SCALE_IN_PROTECTION_MAX", "60m", Duration.ofMinutes(1));
    if (max != null && max.compareTo(FleetSettings.PROTECTION_MAX_LIMIT) > 0) {
      problems.add(
          "DRAINHOST_SCALE_IN_PROTECTION_MAX="
              + raw("DRAINHOST_SCALE_IN_PROTECTION_MAX").orElse("")
              + ": must be at most 2880m (the longest protection ECS grants)");
    }
    Optional<Duration> backlog =
        raw("DRAINHOST_BACKLOG_INTERVAL").isEmpty()
            ? Optional.of(Duration.ofSeconds(15))
            : optionalDuration("DRAINHOST_BACKLOG_INTERVAL");
    boolean emf = choice("DRAINHOST_EMF", OnOff.OFF, OnOff.class) == OnOff.ON;
    if (emf && backlog.isEmpty()) {
      problems.add(
          "DRAINHOST_EMF=on needs the backlog it reports: DRAINHOST_BACKLOG_INTERVAL must not be"
              + " off");
    }
    return new FleetSettings(protection, max, uri("ECS_AGENT_URI"), backlog, emf);
  }

  private enum OnOff {
    ON,
    OFF
  }

  /**
   * Versioning from {@code DRAINHOST_DEPLOYMENT_NAME}, {@code DRAINHOST_BUILD_ID} and {@code
   * DRAINHOST_VERSIONING_BEHAVIOR}; on ECS an unset build id is read from the container's image
   * when the host starts (loading the configuration makes no network call).
   */
  private Versioning versioning(Optional<URI> ecsMetadata) {
    Versioning.Behavior behavior =
        choice(
            "DRAINHOST_VERSIONING_BEHAVIOR",
            Versioning.Behavior.AUTO_UPGRADE,
            Versioning.Behavior.class);
    Optional<String> name = raw("DRAINHOST_DEPLOYMENT_NAME");
    Optional<String> buildId = raw("DRAINHOST_BUILD_ID");
    if (name.isEmpty()) {
      buildId.ifPresent(
          b ->
              problems.add(
                  "DRAINHOST_BUILD_ID="
                      + b
                      + ": needs DRAINHOST_DEPLOYMENT_NAME (the Worker Deployment this build"
                      + " joins)"));
      return new Versioning(Optional.empty(), Optional.empty(), behavior);
    }
    if (buildId.isEmpty() && ecsMetadata.isEmpty()) {
      problems.add(noBuildId(name.get(), false));
      return new Versioning(Optional.empty(), Optional.empty(), behavior);
    }
    problems.addAll(Versioning.problems(name.get(), buildId.orElse("")));
    return new Versioning(name, buildId, behavior);
  }

  /** Why a deployment name has no build id; {@code asked}: the task metadata named none. */
  public static String noBuildId(String deploymentName, boolean asked) {
    return "DRAINHOST_DEPLOYMENT_NAME="
        + deploymentName
        + ": needs a build id: set DRAINHOST_BUILD_ID, or run on ECS where it is the"
        + " image digest or tag of the container (ECS_CONTAINER_METADATA_URI_V4"
        + (asked ? " answered with neither)" : " is unset)");
  }

  private Optional<URI> uri(String name) {
    return raw(name)
        .map(
            checked(
                name,
                v -> {
                  URI u = URI.create(v);
                  if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                    throw new IllegalArgumentException("not http");
                  }
                  return u;
                }));
  }

  private <T> Function<String, T> checked(String name, Function<String, T> parse) {
    return v -> {
      try {
        return parse.apply(v);
      } catch (IllegalArgumentException e) {
        problems.add(name + "=" + v + ": must be an http(s) URL");
        return null;
      }
    };
  }

  /** An empty or malformed address is a mistake, not a request for the embedded server. */
  private void checkAddress(TemporalTarget target) {
    String raw = env.get("TEMPORAL_ADDRESS");
    if (raw != null && raw.isBlank()) {
      problems.add(
          "TEMPORAL_ADDRESS is set but empty: unset it for the embedded server, or give host:port");
      return;
    }
    if (raw != null && !raw.equals(raw.trim())) {
      problems.add(
          "TEMPORAL_ADDRESS='" + raw + "': has leading or trailing spaces; give host:port alone");
      return;
    }
    if (raw != null && raw.matches("(?i)https?://.*")) {
      problems.add(
          "TEMPORAL_ADDRESS="
              + raw
              + ": must be host:port without http:// or https:// (Temporal"
              + " speaks gRPC; TLS is TEMPORAL_TLS), e.g. temporal.example.com:7233");
      return;
    }
    String configFile = env.get("TEMPORAL_CONFIG_FILE");
    if (configFile != null
        && !configFile.isBlank()
        && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(configFile.trim()))) {
      problems.add(
          "TEMPORAL_CONFIG_FILE="
              + configFile
              + ": no such file (unset it, or point it at the"
              + " TOML profile file)");
      return;
    }
    target
        .address()
        .ifPresent(
            address -> {
              if (address.contains("://")) {
                return; // a gRPC target URI such as dns:///temporal:7233
              }
              int colon = address.lastIndexOf(':');
              boolean valid = colon > 0 && colon < address.length() - 1;
              if (valid) {
                try {
                  int port = Integer.parseInt(address.substring(colon + 1));
                  valid = port >= 1 && port <= 65535;
                } catch (NumberFormatException e) {
                  valid = false;
                }
              }
              if (!valid) {
                problems.add(
                    "TEMPORAL_ADDRESS="
                        + address
                        + ": must be host:port, e.g. temporal.example.com:7233");
              }
            });
  }

  private TemporalTarget temporal(Optional<URI> ecsUri) {
    try {
      ClientConfigProfile profile =
          ClientConfigProfile.load(
              LoadClientConfigProfileOptions.newBuilder().setEnvOverrides(env).build());
      TemporalTarget target = new TemporalTarget(profile);
      checkAddress(target);
      if (target.embedded()
          && ecsUri.isPresent()
          && choice("DRAINHOST_ALLOW_EMBEDDED_TEMPORAL", YesNo.FALSE, YesNo.class) != YesNo.TRUE) {
        problems.add(
            "TEMPORAL_ADDRESS is not set on ECS (ECS_CONTAINER_METADATA_URI_V4 is): the host would"
                + " start the embedded in-memory Temporal and lose every workflow at exit; set"
                + " TEMPORAL_ADDRESS, or DRAINHOST_ALLOW_EMBEDDED_TEMPORAL=true for a demo");
      }
      if (target.hasApiKey()
          && target.tlsDisabled()
          && choice("DRAINHOST_ALLOW_PLAINTEXT_API_KEY", YesNo.FALSE, YesNo.class) != YesNo.TRUE) {
        problems.add(
            "TEMPORAL_API_KEY is set and TLS is off (TEMPORAL_TLS=false): the key would cross the"
                + " network in clear; turn TLS on, or DRAINHOST_ALLOW_PLAINTEXT_API_KEY=true for a"
                + " local proxy that adds it");
      }
      return target;
    } catch (Exception e) {
      // The message may quote a file path but never the key: envconfig reports parse errors only.
      problems.add("Temporal environment configuration (TEMPORAL_*): " + e.getMessage());
      return new TemporalTarget(ClientConfigProfile.getDefaultInstance());
    }
  }
}
