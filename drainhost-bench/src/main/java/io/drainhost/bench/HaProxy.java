package io.drainhost.bench;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy in front of the drill's hosts, configured as a careful ALB stand-in: health checks
 * on {@code /health} (readiness), and starts retried on another host when one answers 503 or
 * refuses the connection.
 */
final class HaProxy implements AutoCloseable {
  private final Process process;
  private final Path config;
  private final Path log;
  final int port;

  private final int statsPort;

  private HaProxy(Process process, Path config, Path log, int port, int statsPort) {
    this.process = process;
    this.config = config;
    this.log = log;
    this.port = port;
    this.statsPort = statsPort;
  }

  static boolean installed() {
    try {
      Process p = new ProcessBuilder("haproxy", "-v").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static String configFor(int port, int statsPort, List<Integer> hostPorts) {
    StringBuilder servers = new StringBuilder();
    for (int hostPort : hostPorts) {
      servers
          .append("  server ")
          .append(serverName(hostPort))
          .append(" 127.0.0.1:")
          .append(hostPort)
          .append(" check\n");
    }
    return String.join(
        "\n",
        "global",
        "  maxconn 4096",
        "  log stdout format raw local0 info",
        "defaults",
        "  mode http",
        "  log global",
        "  option httplog",
        "  timeout connect 1s",
        "  timeout client 30s",
        "  timeout server 30s",
        "  timeout queue 10s",
        // A start refused with 503 (draining, starting) or a refused connection (the process has
        // exited) was not processed: send it to another host. Nothing else is retried.
        "  retries 6",
        // L7 retries replay the request from HAProxy's buffer: wait for the whole body first.
        "  option http-buffer-request",
        "  option redispatch 1",
        "  retry-on conn-failure empty-response 503",
        // Its view of each server's health, as CSV: when it counts a replacement healthy.
        "frontend stats",
        "  bind 127.0.0.1:" + statsPort,
        "  stats enable",
        "  stats uri /stats",
        "frontend drill",
        "  bind 127.0.0.1:" + port,
        "  default_backend hosts",
        "backend hosts",
        "  balance roundrobin",
        "  option httpchk GET /health",
        "  http-check expect status 200",
        // A draining host fails its next check (its 503s meanwhile are retried elsewhere). Two
        // failures mark it down, and a check may take 2 s: on two busy cores one slow /health
        // must not take a healthy host out (with all of them out HAProxy answers 503 itself).
        "  timeout check 2s",
        "  default-server inter 250ms fastinter 100ms fall 2 rise 2",
        servers.toString());
  }

  private static String serverName(int hostPort) {
    return "p" + hostPort;
  }

  static HaProxy start(List<Integer> hostPorts) {
    int port = LocalHosts.freePort();
    int statsPort = LocalHosts.freePort();
    try {
      Path config = Files.createTempFile("drill-haproxy-", ".cfg");
      Files.writeString(config, configFor(port, statsPort, hostPorts));
      Path log = Files.createTempFile("drill-haproxy-", ".log");
      Process p =
          new ProcessBuilder("haproxy", "-db", "-f", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      ChildProcess.endAtExit(p);
      return new HaProxy(p, config, log, port, statsPort);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start haproxy (apt-get install haproxy)", e);
    }
  }

  /** Whether HAProxy routes to the server on {@code hostPort} now (its checks say UP). */
  boolean serverUp(int hostPort) {
    try {
      String csv =
          BenchSupport.HTTP
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                      .timeout(java.time.Duration.ofSeconds(2))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      List<String> lines = csv.lines().toList();
      List<String> header = List.of(lines.get(0).replaceFirst("^# ", "").split(","));
      int name = header.indexOf("svname");
      int status = header.indexOf("status");
      return lines.stream()
          .skip(1)
          .map(l -> l.split(",", -1))
          .anyMatch(
              f ->
                  f.length > status
                      && f[name].equals(serverName(hostPort))
                      && f[status].startsWith("UP"));
    } catch (IOException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(config);
    } catch (IOException ignored) {
      // a temp file
    }
  }
}
