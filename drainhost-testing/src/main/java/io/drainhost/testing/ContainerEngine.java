package io.drainhost.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A local container engine, {@code podman} or {@code docker}, driven through its command line:
 * builds an image from a Dockerfile and runs containers as ECS runs a task. Without one a container
 * suite is skipped and named at the end of the run, unless {@code DRAINHOST_REQUIRE_CONTAINER} is
 * set (CI sets it), when it fails.
 */
public final class ContainerEngine {
  /** Names the engine's binary explicitly; otherwise podman, then docker, on PATH. */
  public static final String PATH_VARIABLE = "DRAINHOST_CONTAINER_ENGINE";

  public static final String REQUIRE_VARIABLE = "DRAINHOST_REQUIRE_CONTAINER";

  /**
   * Extra {@code build} arguments, split on spaces: CI gives local base images here ({@code
   * --build-arg BUILD_IMAGE=… --build-arg RUNTIME_IMAGE=…}, from {@code .ci/container-bases}).
   */
  public static final String BUILD_ARGS_VARIABLE = "DRAINHOST_CONTAINER_BUILD_ARGS";

  static final Set<String> skipped = new ConcurrentSkipListSet<>();

  private final String binary;

  private ContainerEngine(String binary) {
    this.binary = binary;
  }

  /** The engine that answers here, if any. */
  public static Optional<ContainerEngine> find() {
    List<String> candidates = new ArrayList<>();
    String explicit = System.getenv(PATH_VARIABLE);
    if (explicit != null && !explicit.isBlank()) {
      candidates.add(explicit);
    } else {
      candidates.addAll(onPath("podman"));
      candidates.addAll(onPath("docker"));
    }
    for (String c : candidates) {
      ContainerEngine engine = new ContainerEngine(c);
      // The docker client answers --version without an engine; info needs one.
      if (engine.run(Duration.ofSeconds(30), "info").exitCode() == 0) {
        return Optional.of(engine);
      }
    }
    return Optional.empty();
  }

  private static List<String> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return List.of();
    }
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .map(Path::toString)
        .limit(1)
        .toList();
  }

  /** The engine for {@code suite}, or skips it (fails it under CI) when there is none. */
  public static ContainerEngine require(Class<?> suite) {
    Optional<ContainerEngine> engine = find();
    if (engine.isPresent()) {
      return engine.get();
    }
    String advice = missingAdvice();
    String required = System.getenv(REQUIRE_VARIABLE);
    if (required != null && !required.isBlank() && !required.equals("0")) {
      throw new IllegalStateException(
          suite.getSimpleName() + " needs a container engine: " + advice);
    }
    skipped.add(suite.getSimpleName());
    Assumptions.abort(advice);
    throw new IllegalStateException("unreachable");
  }

  static String missingAdvice() {
    return "no container engine answers (podman or docker on PATH, or "
        + PATH_VARIABLE
        + "); on Debian: apt-get install podman runc catatonit, as .ci/run does";
  }

  public boolean podman() {
    return Path.of(binary).getFileName().toString().startsWith("podman");
  }

  /**
   * Builds {@code context}'s Dockerfile as {@code tag}, with the base images of {@link
   * #BUILD_ARGS_VARIABLE}. With {@code mavenRepository}, the build stage reads the artifacts from
   * it instead of downloading them again (mounted at {@code /root/.m2/repository}; podman only).
   */
  public Result build(Path context, String tag, Optional<Path> mavenRepository) {
    List<String> args = new ArrayList<>(List.of("build", "--network", "host", "-t", tag));
    if (podman()) {
      // OCI images have no HEALTHCHECK; the docker format keeps it, as docker build does.
      args.addAll(List.of("--format", "docker"));
      mavenRepository.ifPresent(
          r -> args.addAll(List.of("-v", r.toAbsolutePath() + ":/root/.m2/repository")));
    }
    String extra = System.getenv(BUILD_ARGS_VARIABLE);
    if (extra != null && !extra.isBlank()) {
      args.addAll(Arrays.asList(extra.trim().split("\\s+")));
    }
    args.add(context.toAbsolutePath().toString());
    return run(Duration.ofMinutes(20), args.toArray(new String[0]));
  }

  /** Starts a container in the background with these {@code run} arguments (image included). */
  public Container start(List<String> runArguments) {
    List<String> args = new ArrayList<>(List.of("run", "-d"));
    if (podman() && runArguments.contains("--ulimit")) {
      args.addAll(defaultUlimitsNotIn(runArguments));
    }
    args.addAll(runArguments);
    Result r = run(Duration.ofMinutes(2), args.toArray(new String[0]));
    if (r.exitCode() != 0) {
      throw new IllegalStateException("run failed: " + r.stderr() + r.stdout());
    }
    return new Container(this, r.stdout().strip());
  }

  /**
   * Docker (and so ECS) merges a container's ulimits into the engine's defaults; podman replaces
   * its configured defaults ({@code default_ulimits} of containers.conf) with the container's, and
   * then sets the others to values a machine may refuse. Its defaults are kept for the limits the
   * container does not name, as docker would.
   */
  private static List<String> defaultUlimitsNotIn(List<String> runArguments) {
    List<String> named = new ArrayList<>();
    for (int i = 0; i + 1 < runArguments.size(); i++) {
      if (runArguments.get(i).equals("--ulimit")) {
        named.add(runArguments.get(i + 1).split("=", 2)[0]);
      }
    }
    List<String> args = new ArrayList<>();
    for (Path conf :
        List.of(
            Path.of("/etc/containers/containers.conf"),
            Path.of("/usr/share/containers/containers.conf"))) {
      String text;
      try {
        text = Files.readString(conf);
      } catch (IOException e) {
        continue;
      }
      Matcher m = Pattern.compile("(?m)^\\s*default_ulimits\\s*=\\s*\\[([^\\]]*)]").matcher(text);
      if (m.find()) {
        Matcher limit = Pattern.compile("\"([a-z]+)=([^\"]+)\"").matcher(m.group(1));
        while (limit.find()) {
          if (!named.contains(limit.group(1))) {
            args.addAll(List.of("--ulimit", limit.group(1) + "=" + limit.group(2)));
          }
        }
        return args;
      }
    }
    return args;
  }

  /** The image's {@code ENTRYPOINT}, as the JSON array the engine runs. */
  public List<String> entrypoint(String image) {
    String json =
        run(
                Duration.ofSeconds(30),
                "image",
                "inspect",
                "--format",
                "{{json .Config.Entrypoint}}",
                image)
            .requireSuccess("inspect " + image)
            .stdout();
    List<String> args = new ArrayList<>();
    try {
      new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(json)
          .forEach(a -> args.add(a.asText()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return args;
  }

  /** Runs the engine with these arguments; fails when it takes longer than {@code timeout}. */
  public Result run(Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("drainhost-engine-", ".out");
      Path err = Files.createTempFile("drainhost-engine-", ".err");
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        ChildProcess.endAtExit(p);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(
              String.join(" ", command) + " did not end within " + timeout);
        }
        return new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("error=2")) {
        return new Result(127, "", e.getMessage());
      }
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What one engine command printed, and its exit code. */
  public record Result(int exitCode, String stdout, String stderr) {
    public Result requireSuccess(String what) {
      if (exitCode != 0) {
        throw new IllegalStateException(what + " failed (" + exitCode + "): " + stderr + stdout);
      }
      return this;
    }
  }
}
