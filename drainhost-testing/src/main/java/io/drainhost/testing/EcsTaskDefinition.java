package io.drainhost.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An ECS task definition with one container, read as the ECS agent reads it and turned into the
 * flags of a local container engine's {@code run} ({@code podman} or {@code docker}): command,
 * environment and secrets, user, health check, stop timeout, init process, ports, ulimits, labels,
 * CPU and memory.
 *
 * <p>Every field of the file must be known here, applied or named with the reason it has no local
 * counterpart: a field this reader does not know fails the read, so the shipped file cannot hold a
 * setting that no test runs.
 *
 * <p>The container runs on the host's network, with a host name of its own ({@code awsvpc} gives
 * each ECS task its own address; here tasks share loopback), so its ports move to free ones: each
 * environment variable whose value is a mapped container port names the new port instead.
 */
public final class EcsTaskDefinition {
  /** Task-level fields, each applied or without a local counterpart (the reason beside it). */
  private static final Map<String, String> TASK_FIELDS =
      Map.of(
          "family", "the task definition's name",
          "networkMode", "awsvpc: the task's own address; here the host's network",
          "requiresCompatibilities", "where ECS may place the task",
          "cpu", "applied: --cpus",
          "memory", "applied: --memory",
          "runtimePlatform", "checked against this machine",
          "executionRoleArn", "IAM for the agent (image pull, logs, secrets): no local call",
          "taskRoleArn", "IAM for the host's own AWS calls: it makes none",
          "volumes", "applied: each mount point of the container, below",
          "containerDefinitions", "one container, read below");

  /** Container fields, likewise. */
  private static final Map<String, String> CONTAINER_FIELDS =
      Map.ofEntries(
          Map.entry("name", "applied: the container's name prefix"),
          Map.entry("image", "replaced by the image under test"),
          Map.entry("essential", "must be true: the task is this one container"),
          Map.entry("command", "applied: arguments to the image's entrypoint"),
          Map.entry("portMappings", "applied: ports moved to free ones on the host's network"),
          Map.entry("stopTimeout", "applied: --stop-timeout, the SIGTERM to SIGKILL time"),
          Map.entry("startTimeout", "time to wait for dependsOn containers: there are none"),
          Map.entry(
              "linuxParameters", "initProcessEnabled applied: --init; capabilities: --cap-drop"),
          Map.entry("readonlyRootFilesystem", "applied: --read-only"),
          Map.entry(
              "mountPoints",
              "applied: a task volume (ephemeral storage on Fargate) as a tmpfs that may hold"
                  + " executables, as Fargate's does"),
          Map.entry("healthCheck", "applied: --health-*"),
          Map.entry("environment", "applied: -e"),
          Map.entry("secrets", "applied: -e with the value the caller gives each"),
          Map.entry("logConfiguration", "awslogs ships stdout and stderr: read as logs"),
          Map.entry("dockerLabels", "applied: --label"),
          Map.entry("ulimits", "applied: --ulimit, at most this machine's hard limit"),
          Map.entry("user", "applied: --user"));

  private static final Set<String> LINUX_PARAMETERS = Set.of("initProcessEnabled", "capabilities");
  private static final Set<String> CAPABILITIES = Set.of("drop");
  private static final Set<String> MOUNT_POINT =
      Set.of("sourceVolume", "containerPath", "readOnly");
  private static final Set<String> HEALTH_CHECK =
      Set.of("command", "interval", "timeout", "retries", "startPeriod");

  /** ECS's defaults for a container health check (AWS docs). */
  private static final int DEFAULT_INTERVAL = 30;

  private static final int DEFAULT_TIMEOUT = 5;
  private static final int DEFAULT_RETRIES = 3;

  private final JsonNode task;
  private final JsonNode container;

  private EcsTaskDefinition(JsonNode task) {
    this.task = task;
    requireKnown(task, TASK_FIELDS.keySet(), "task definition");
    JsonNode containers = task.path("containerDefinitions");
    if (containers.size() != 1) {
      throw new IllegalArgumentException("one container definition, found " + containers.size());
    }
    this.container = containers.get(0);
    requireKnown(container, CONTAINER_FIELDS.keySet(), "container definition");
    requireKnown(container.path("linuxParameters"), LINUX_PARAMETERS, "linuxParameters");
    requireKnown(
        container.path("linuxParameters").path("capabilities"), CAPABILITIES, "capabilities");
    for (JsonNode mount : container.path("mountPoints")) {
      requireKnown(mount, MOUNT_POINT, "mountPoints");
      boolean declared = false;
      for (JsonNode volume : task.path("volumes")) {
        requireKnown(volume, Set.of("name"), "volumes (a host path or EFS has no local stand-in)");
        declared |= volume.path("name").asText().equals(mount.path("sourceVolume").asText());
      }
      if (!declared) {
        throw new IllegalArgumentException(
            "mountPoints names the volume " + mount.path("sourceVolume") + ", which no volume is");
      }
    }
    requireKnown(container.path("healthCheck"), HEALTH_CHECK, "healthCheck");
    if (!container.path("essential").asBoolean(true)) {
      throw new IllegalArgumentException("the one container must be essential");
    }
    String arch = task.path("runtimePlatform").path("cpuArchitecture").asText("X86_64");
    String machine = System.getProperty("os.arch");
    boolean x86 = machine.equals("amd64") || machine.equals("x86_64");
    if (arch.equals("X86_64") != x86) {
      throw new IllegalArgumentException(
          "runtimePlatform.cpuArchitecture=" + arch + " does not run on " + machine);
    }
  }

  public static EcsTaskDefinition read(Path file) {
    try {
      return new EcsTaskDefinition(new ObjectMapper().readTree(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireKnown(JsonNode node, Set<String> known, String where) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        throw new IllegalArgumentException(
            where
                + " has the field "
                + field
                + ", which "
                + EcsTaskDefinition.class.getSimpleName()
                + " does not know: teach it how a local engine runs it, so that a test runs it");
      }
    }
  }

  /** The container's name in the task definition. */
  public String containerName() {
    return container.path("name").asText();
  }

  /** The ports the container listens on ({@code portMappings}, container side). */
  public List<Integer> containerPorts() {
    List<Integer> ports = new ArrayList<>();
    container.path("portMappings").forEach(m -> ports.add(m.path("containerPort").asInt()));
    return ports;
  }

  /** The names of the secrets ECS injects as environment variables. */
  public List<String> secretNames() {
    List<String> names = new ArrayList<>();
    container.path("secrets").forEach(s -> names.add(s.path("name").asText()));
    return names;
  }

  /** The environment as the task definition gives it, secrets left out. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    container
        .path("environment")
        .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    return env;
  }

  /** {@code stopTimeout}: ECS's SIGTERM to SIGKILL (30 s when unset). */
  public Duration stopTimeout() {
    return Duration.ofSeconds(container.path("stopTimeout").asInt(30));
  }

  /** The health check's {@code startPeriod} (0 when unset). */
  public Duration healthCheckStartPeriod() {
    return Duration.ofSeconds(container.path("healthCheck").path("startPeriod").asInt(0));
  }

  /** The health check's {@code interval} (ECS's default 30 s when unset). */
  public Duration healthCheckInterval() {
    return Duration.ofSeconds(
        container.path("healthCheck").path("interval").asInt(DEFAULT_INTERVAL));
  }

  /**
   * The engine's {@code run} arguments, image and command included.
   *
   * @param name the container's name
   * @param image the image to run in place of the task definition's
   * @param ports each container port to the local port it moves to (every one must be mapped)
   * @param secrets a value for each secret, or {@link Optional#empty()} to leave it unset (say why
   *     at the call)
   * @param extraEnvironment what the ECS agent or the test adds, or replaces
   */
  public List<String> runArguments(
      String name,
      String image,
      Map<Integer, Integer> ports,
      Map<String, Optional<String>> secrets,
      Map<String, String> extraEnvironment) {
    // Its own host name, as an ECS task has: the worker identity (pid@host) stays unique.
    List<String> args =
        new ArrayList<>(List.of("--name", name, "--hostname", name, "--network", "host"));
    if (!ports.keySet().containsAll(containerPorts())) {
      throw new IllegalArgumentException("map every container port: " + containerPorts());
    }
    Map<String, String> env = environment();
    env.replaceAll(
        (k, v) -> {
          Integer moved =
              k.endsWith("_PORT") && v.matches("\\d+") ? ports.get(Integer.valueOf(v)) : null;
          return moved != null ? moved.toString() : v;
        });
    for (String secret : secretNames()) {
      if (!secrets.containsKey(secret)) {
        throw new IllegalArgumentException("give the secret " + secret + " a value, or none");
      }
      secrets.get(secret).ifPresent(v -> env.put(secret, v));
    }
    env.putAll(extraEnvironment);
    env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));

    if (container.has("user")) {
      args.addAll(List.of("--user", container.path("user").asText()));
    }
    if (container.path("linuxParameters").path("initProcessEnabled").asBoolean(false)) {
      args.add("--init");
    }
    for (JsonNode cap : container.path("linuxParameters").path("capabilities").path("drop")) {
      args.addAll(List.of("--cap-drop", cap.asText()));
    }
    if (container.path("readonlyRootFilesystem").asBoolean(false)) {
      args.add("--read-only");
    }
    for (JsonNode mount : container.path("mountPoints")) {
      // Fargate's task storage: writable, executable (gRPC loads its native library from /tmp).
      args.addAll(
          List.of(
              "--tmpfs",
              mount.path("containerPath").asText()
                  + (mount.path("readOnly").asBoolean(false) ? ":ro," : ":rw,")
                  + "exec,nosuid,nodev,mode=1777"));
    }
    args.addAll(List.of("--stop-timeout", Long.toString(stopTimeout().toSeconds())));
    if (task.has("cpu")) {
      args.addAll(List.of("--cpus", Double.toString(task.path("cpu").asInt() / 1024.0)));
    }
    if (task.has("memory")) {
      args.addAll(List.of("--memory", task.path("memory").asInt() + "m"));
    }
    healthCheckArguments(args);
    long hardNoFile = hardLimit("Max open files");
    container
        .path("ulimits")
        .forEach(
            u -> {
              String limit = u.path("name").asText();
              long soft = u.path("softLimit").asLong();
              long hard = u.path("hardLimit").asLong();
              if (limit.equals("nofile") && hardNoFile > 0) {
                // Raising a hard limit above the engine's own needs a privilege a test lacks.
                soft = Math.min(soft, hardNoFile);
                hard = Math.min(hard, hardNoFile);
              }
              args.addAll(List.of("--ulimit", limit + "=" + soft + ":" + hard));
            });
    container
        .path("dockerLabels")
        .fields()
        .forEachRemaining(
            l -> args.addAll(List.of("--label", l.getKey() + "=" + l.getValue().asText())));
    args.add(image);
    container.path("command").forEach(c -> args.add(c.asText()));
    return args;
  }

  private void healthCheckArguments(List<String> args) {
    JsonNode check = container.path("healthCheck");
    if (check.isMissingNode()) {
      return;
    }
    JsonNode command = check.path("command");
    String kind = command.get(0).asText();
    List<String> rest = new ArrayList<>();
    for (int i = 1; i < command.size(); i++) {
      rest.add(command.get(i).asText());
    }
    String cmd;
    try {
      cmd =
          switch (kind) {
            // Exec form, as ECS runs CMD: the engine takes a JSON array for it.
            case "CMD" -> new ObjectMapper().writeValueAsString(rest);
            case "CMD-SHELL" -> String.join(" ", rest);
            default ->
                throw new IllegalArgumentException("healthCheck.command starts with " + kind);
          };
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    args.addAll(List.of("--health-cmd", cmd));
    args.addAll(List.of("--health-interval", healthCheckInterval().toSeconds() + "s"));
    args.addAll(List.of("--health-timeout", check.path("timeout").asInt(DEFAULT_TIMEOUT) + "s"));
    args.addAll(
        List.of(
            "--health-retries", Integer.toString(check.path("retries").asInt(DEFAULT_RETRIES))));
    args.addAll(List.of("--health-start-period", healthCheckStartPeriod().toSeconds() + "s"));
  }

  /** This process's hard limit of that name ({@code /proc/self/limits}); -1 when unknown. */
  private static long hardLimit(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith(name)) {
          String[] parts = line.substring(name.length()).trim().split("\\s+");
          return parts[1].equals("unlimited") ? -1 : Long.parseLong(parts[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
