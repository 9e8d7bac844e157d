package io.drainhost.bench;

import io.drainhost.testing.ChildProcess;
import java.nio.file.Path;
import java.util.Map;

/**
 * This tool's own jar, {@code drainhost-bench.jar}, run as a child process (the plain worker, the
 * drill).
 */
public final class BenchJar {
  private BenchJar() {}

  public static Path path() {
    return ChildProcess.locate("drainhost.bench.jar", "drainhost-bench.jar");
  }

  public static ChildProcess start(String name, Map<String, String> env, String... args) {
    return ChildProcess.startJar(path(), name, env, args);
  }
}
