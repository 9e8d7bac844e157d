package io.drainhost.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/** Ports and environments for hosts started on loopback by tests and benchmarks. */
public final class LocalHosts {
  private LocalHosts() {}

  /** A TCP port that was free a moment ago, for a child process that must be told its port. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The environment of a host on loopback, any free HTTP port, this Temporal and task queue. */
  public static Map<String, String> hostEnv(
      int temporalPort, String queue, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort);
    env.put("DRAINHOST_PORT", "0");
    env.put("DRAINHOST_BIND", "127.0.0.1");
    env.put("DRAINHOST_TASK_QUEUE", queue);
    env.putAll(extra);
    return env;
  }
}
