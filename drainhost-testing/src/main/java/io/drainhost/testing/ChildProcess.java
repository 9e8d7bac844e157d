package io.drainhost.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child process started as ECS would start it: its own process, real signals, output captured to
 * a file. Mostly a JVM of the drainhost jar ({@link #start}); also a Temporal CLI dev server
 * ({@link #exec}). Used by the benchmarks, the drill and the process-level tests.
 */
public final class ChildProcess implements AutoCloseable {
  private static final Pattern HTTP_PORT = Pattern.compile("http listening: bind=\\S+ port=(\\d+)");
  private static final Pattern MANAGEMENT_PORT =
      Pattern.compile("management listening: bind=\\S+ port=(\\d+)");

  private final String name;
  private final Process process;
  private final Path output;

  /** Every process started here and not yet closed: ended when the test JVM exits. */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(Process::destroyForcibly), "end-child-processes"));
  }

  private ChildProcess(String name, Process process, Path output) {
    this.name = name;
    this.process = process;
    this.output = output;
    endAtExit(process);
  }

  /**
   * Ends {@code process} when this JVM exits, if nothing closed it before: a test that timed out,
   * failed in its setup or was killed leaves no host, server or proxy running behind it.
   */
  public static void endAtExit(Process process) {
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
  }

  /**
   * The runnable host, {@code drainhost.jar}: the system property {@code drainhost.jar} (the build
   * sets it for tests), else beside the jar this code runs from, else in {@code target/} of this
   * directory or of its parent (a module of the repository).
   */
  public static Path jar() {
    return locate("drainhost.jar", "drainhost.jar");
  }

  /** A jar by system property, or by file name beside this code's jar or in {@code target/}. */
  public static Path locate(String property, String fileName) {
    String override = System.getProperty(property);
    if (override != null) {
      return Path.of(override);
    }
    List<Path> candidates = new ArrayList<>();
    try {
      Path self =
          Path.of(ChildProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (self.toString().endsWith(".jar")) {
        candidates.add(self.resolveSibling(fileName));
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // no code source: look in the build output
    }
    candidates.add(Path.of("target", fileName));
    candidates.add(Path.of("..", "target", fileName));
    return candidates.stream()
        .filter(Files::exists)
        .findFirst()
        .orElse(Path.of("target", fileName));
  }

  /**
   * Starts {@code java -jar drainhost.jar args...} with these variables added to a clean
   * environment.
   */
  public static ChildProcess start(String name, Map<String, String> env, String... args) {
    return startJar(jar(), name, env, args);
  }

  /** Starts {@code java -jar <jar> args...} with these variables added to a clean environment. */
  public static ChildProcess startJar(
      Path jar, String name, Map<String, String> env, String... args) {
    return startJar(jar, "256m", name, env, args);
  }

  /**
   * As {@link #startJar(Path, String, Map, String...)} with this maximum heap ({@code -Xmx});
   * {@code "default"} leaves the JVM's own heap sizing.
   */
  public static ChildProcess startJar(
      Path jar, String maxHeap, String name, Map<String, String> env, String... args) {
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          "build the jars first (mvn -q -DskipTests package): " + jar.toAbsolutePath());
    }
    List<String> command = new ArrayList<>();
    command.add(java());
    FastChildJvm.Options fast = FastChildJvm.options(jar);
    command.addAll(fast.jvm());
    if (!"default".equals(maxHeap)) {
      command.add("-Xmx" + maxHeap);
    }
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    ChildProcess child = exec(name, env, command);
    fast.training().ifPresent(t -> child.process.onExit().thenRun(t::done));
    return child;
  }

  /** The {@code java} of the JVM this code runs in: the children run the same. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Starts any command with these variables added to a clean environment. */
  public static ChildProcess exec(String name, Map<String, String> env, List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("DRAINHOST_") || k.startsWith("TEMPORAL_"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    try {
      Path out = Files.createTempFile("drainhost-" + name + "-", ".log");
      pb.redirectOutput(out.toFile());
      return new ChildProcess(name, pb.start(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  public String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String tail() {
    String out = output();
    return out.length() > 6000 ? out.substring(out.length() - 6000) : out;
  }

  /**
   * Waits for a line matching {@code regex}; returns its first group, or the whole match. Fails
   * with the process's output when it exits or the time runs out first.
   */
  public String awaitLog(String regex, Duration timeout) {
    Pattern p = Pattern.compile(regex);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Matcher m = p.matcher(output());
      if (m.find()) {
        return m.groupCount() > 0 ? m.group(1) : m.group();
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with "
                + process.exitValue()
                + " before logging /"
                + regex
                + "/:\n"
                + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + " did not log /" + regex + "/ within " + timeout + ":\n" + tail());
      }
      sleep(Duration.ofMillis(20));
    }
  }

  /** The HTTP port a drainhost logged once it was listening. */
  public int awaitHttpPort() {
    return Integer.parseInt(awaitLog(HTTP_PORT.pattern(), Duration.ofSeconds(60)));
  }

  /**
   * The port of the host's management server ({@code DRAINHOST_MANAGEMENT_PORT}), logged right
   * after the HTTP port.
   */
  public int awaitManagementPort() {
    return Integer.parseInt(awaitLog(MANAGEMENT_PORT.pattern(), Duration.ofSeconds(30)));
  }

  public long pid() {
    return process.pid();
  }

  /** Sends a signal by name ({@code TERM}, {@code INT}, {@code KILL}) with the system's kill. */
  public void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits for the exit and returns the exit code; fails when it takes longer than {@code timeout}.
   */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " did not exit within " + timeout + ":\n" + tail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
