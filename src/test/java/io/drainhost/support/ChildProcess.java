package io.drainhost.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A drainhost JVM started from the built jar, as ECS would start it: real process, real signals,
 * output captured to a file that tests read.
 */
public final class ChildProcess implements AutoCloseable {
  private static final Pattern HTTP_PORT = Pattern.compile("http listening: bind=\\S+ port=(\\d+)");

  private final Process process;
  private final Path output;
  private final String name;

  private ChildProcess(String name, Process process, Path output) {
    this.name = name;
    this.process = process;
    this.output = output;
  }

  public static Path jar() {
    String jar = System.getProperty("drainhost.jar", "target/drainhost.jar");
    Path p = Path.of(jar);
    if (!Files.exists(p)) {
      throw new IllegalStateException("build the jar first (mvn package): " + p.toAbsolutePath());
    }
    return p;
  }

  /** Starts {@code java -jar drainhost.jar args...} with exactly these extra environment variables. */
  public static ChildProcess start(String name, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("DRAINHOST_") || k.startsWith("TEMPORAL_"));
    pb.environment().putAll(env);
    Path out = Files.createTempFile("drainhost-" + name + "-", ".log");
    pb.redirectErrorStream(true);
    pb.redirectOutput(out.toFile());
    return new ChildProcess(name, pb.start(), out);
  }

  public String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits for a line matching {@code regex} and returns its first group (or the whole match). */
  public String awaitLog(String regex, Duration timeout) {
    Pattern p = Pattern.compile(regex);
    String[] found = new String[1];
    await(name + " logs /" + regex + "/")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              Matcher m = p.matcher(output());
              if (m.find()) {
                found[0] = m.groupCount() > 0 ? m.group(1) : m.group();
                return true;
              }
              if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output());
              }
              return false;
            });
    return found[0];
  }

  /** The HTTP port the host logged once it was listening. */
  public int awaitHttpPort() {
    return Integer.parseInt(awaitLog(HTTP_PORT.pattern(), Duration.ofSeconds(60)));
  }

  public long pid() {
    return process.pid();
  }

  public void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " failed");
    }
  }

  /** Waits for the process to exit and returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not exit within " + timeout + ":\n" + tail());
    }
    return process.exitValue();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String tail() {
    String out = output();
    return out.length() > 6000 ? out.substring(out.length() - 6000) : out;
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
