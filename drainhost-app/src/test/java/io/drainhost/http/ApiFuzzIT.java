package io.drainhost.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drainhost.testing.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Schemathesis, a property-based API fuzzer, generates requests from GET /openapi.json against a
 * running host (the jar, embedded Temporal) and checks every response: no 5xx, only described
 * status codes, content types, headers and bodies, and invalid requests refused. With and without
 * the API token. CI installs it (pinned) and sets DRAINHOST_REQUIRE_SCHEMATHESIS.
 */
class ApiFuzzIT {
  /**
   * Every check, {@code positive_data_acceptance} included: each workflow type's input is described
   * by the schema the host checks it against. {@code schemathesis.toml} (test resources) names the
   * one rule no request schema can state: a backfill's range (forward, in the past, not too many
   * fires) may be refused with a 400.
   */
  static final List<String> CHECKS = List.of("--checks", "all");

  /** Each port against its own description, with and without the API token. */
  @ParameterizedTest(name = "token {0}, management port {1}")
  @CsvSource({"false, false", "true, false", "false, true", "true, true"})
  void noRequestSchemathesisGeneratesGetsAnAnswerOutsideItsDescription(
      boolean withToken, boolean managementPort) throws Exception {
    fuzz(withToken ? Optional.of("fuzz-" + UUID.randomUUID()) : Optional.empty(), managementPort);
  }

  private static void fuzz(Optional<String> token, boolean managementPort) throws Exception {
    String st = schemathesis();
    Map<String, String> env = new HashMap<>();
    env.put("DRAINHOST_PORT", "0");
    env.put("DRAINHOST_BIND", "127.0.0.1");
    env.put("DRAINHOST_SCHEDULES", schedules().toString());
    token.ifPresent(t -> env.put("DRAINHOST_API_TOKEN", t));
    if (managementPort) {
      env.put("DRAINHOST_MANAGEMENT_PORT", "0");
    }
    try (ChildProcess host = ChildProcess.start("fuzzed", env)) {
      int port = host.awaitHttpPort();
      List<Integer> ports = new ArrayList<>(List.of(port));
      if (managementPort) {
        ports.add(host.awaitManagementPort());
      }
      host.awaitLog("workers started", Duration.ofSeconds(60));
      for (int p : ports) {
        run(st, p, token);
      }
      if (token.isPresent()) {
        assertEquals(-1, host.output().indexOf(token.get()), "the token never reaches the log");
      }
    }
  }

  private static void run(String st, int port, Optional<String> token) {
    List<String> command =
        new ArrayList<>(
            List.of(
                st,
                "--config-file",
                resource("/schemathesis.toml").toString(),
                "run",
                "http://127.0.0.1:" + port + "/openapi.json",
                "--max-examples",
                "100",
                "--seed",
                "20261125",
                "--request-timeout",
                "20",
                "--no-color"));
    command.addAll(CHECKS);
    token.ifPresent(t -> command.addAll(List.of("--header", "Authorization: Bearer " + t)));
    Map<String, String> env =
        Map.of("SCHEMATHESIS_HOOKS", resource("/schemathesis_hooks.py").toString());
    try (ChildProcess run = ChildProcess.exec("schemathesis", env, command)) {
      int exit = run.awaitExit(Duration.ofMinutes(10));
      String out = run.output();
      System.out.println(
          "schemathesis on port "
              + port
              + (token.isPresent() ? " with" : " without")
              + " the token:\n"
              + summary(out));
      assertEquals(0, exit, out.length() > 20000 ? out.substring(out.length() - 20000) : out);
    }
  }

  private static String summary(String out) {
    int i = out.lastIndexOf("SUMMARY");
    return i < 0 ? out : out.substring(i);
  }

  private static Path resource(String name) {
    try {
      return Path.of(ApiFuzzIT.class.getResource(name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path schedules() throws IOException {
    Path file = Files.createTempFile("schedules", ".json");
    Files.writeString(
        file,
        "[{\"id\": \"daily-triage\", \"workflowType\": \"GreetingWorkflow\", \"input\":"
            + " {\"name\": \"triage\"}, \"cron\": \"20 7 * * *\", \"timeZone\": \"Europe/Berlin\","
            + " \"misfirePolicy\": \"catchup_latest\", \"tolerance\": \"5m\"}]");
    return file;
  }

  private static String schemathesis() {
    Optional<String> found =
        Optional.ofNullable(System.getenv("DRAINHOST_SCHEMATHESIS"))
            .filter(p -> Files.isExecutable(Path.of(p)))
            .or(
                () -> {
                  for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                    Path candidate = Path.of(dir, "schemathesis");
                    if (Files.isExecutable(candidate)) {
                      return Optional.of(candidate.toString());
                    }
                  }
                  return Optional.empty();
                });
    if (found.isEmpty()) {
      if (System.getenv("DRAINHOST_REQUIRE_SCHEMATHESIS") != null) {
        throw new IllegalStateException(
            "schemathesis not found: pip install schemathesis==4.32.5 (or set"
                + " DRAINHOST_SCHEMATHESIS)");
      }
      Assumptions.abort(
          "schemathesis not installed (pip install schemathesis==4.32.5); API fuzzing skipped");
    }
    return found.get();
  }
}
