package io.drainhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.testing.ChildProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invalid configuration stops a real `serve` process with exit code 2 and a one-line reason. */
class ConfigExitIT {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "DRAINHOST_SHUTDOWN_TIMEOUT | 25 seconds | DRAINHOST_SHUTDOWN_TIMEOUT=25 seconds: must be a duration such as 500ms, 25s, 2m or PT25S",
        "DRAINHOST_PORT | 70000 | DRAINHOST_PORT=70000: must be a whole number from 0 to 65535",
        "DRAINHOST_PORT | http | DRAINHOST_PORT=http: must be a whole number from 0 to 65535",
        "DRAINHOST_SHUTDOWN_TIMEOUT | 28s | DRAINHOST_SHUTDOWN_TIMEOUT=28s plus DRAINHOST_HANDOFF_MARGIN=3s must fit inside DRAINHOST_STOP_TIMEOUT=30s",
        "DRAINHOST_STOP_TIMEOUT | 20s | DRAINHOST_SHUTDOWN_TIMEOUT=25s plus DRAINHOST_HANDOFF_MARGIN=3s must fit inside DRAINHOST_STOP_TIMEOUT=20s",
        "DRAINHOST_LOG_FORMAT | yaml | DRAINHOST_LOG_FORMAT=yaml: must be one of text, json",
        "DRAINHOST_BIND | not-an-ip | DRAINHOST_BIND=not-an-ip: must be an IP address of this host",
        "DRAINHOST_BIND | 203.0.113.7 | DRAINHOST_BIND=203.0.113.7: must be an IP address of this host, e.g. 0.0.0.0 (all) or 127.0.0.1 (no interface of this host has it)",
        "TEMPORAL_ADDRESS | http://temporal.example:7233 | TEMPORAL_ADDRESS=http://temporal.example:7233: must be host:port without http:// or https://",
        "TEMPORAL_ADDRESS | 'temporal.example:7233 ' | TEMPORAL_ADDRESS='temporal.example:7233 ': has leading or trailing spaces",
        "TEMPORAL_CONFIG_FILE | /nonexistent/temporal.toml | TEMPORAL_CONFIG_FILE=/nonexistent/temporal.toml: no such file",
        "DRAINHOST_VERSIONING_BEHAVIOR | sticky | DRAINHOST_VERSIONING_BEHAVIOR=sticky: must be one of auto_upgrade, pinned",
        "DRAINHOST_DEPLOYMENT_NAME | orders | DRAINHOST_DEPLOYMENT_NAME=orders: needs a build id: set DRAINHOST_BUILD_ID, or run on ECS where it is the image digest or tag of the container (ECS_CONTAINER_METADATA_URI_V4 is unset)",
        "DRAINHOST_REPLAY_GATE | strict | DRAINHOST_REPLAY_GATE=strict: must be one of enforce, warn, off",
        "DRAINHOST_REPLAY_SAMPLE | many | DRAINHOST_REPLAY_SAMPLE=many: must be a whole number from 0 to 1000",
        "DRAINHOST_SCALE_IN_PROTECTION | always | DRAINHOST_SCALE_IN_PROTECTION=always: must be one of off, long-work",
        "DRAINHOST_SCALE_IN_PROTECTION_MAX | 30s | DRAINHOST_SCALE_IN_PROTECTION_MAX=30s: must be at least 60s",
        "DRAINHOST_EMF | yes | DRAINHOST_EMF=yes: must be one of on, off",
        "DRAINHOST_BACKLOG_INTERVAL | often | DRAINHOST_BACKLOG_INTERVAL=often:",
        "DRAINHOST_SAMPLES_VARIANT | v3 | DRAINHOST_SAMPLES_VARIANT=v3: must be one of v1, v2-breaking, v2-patched, v2, v2-faulty",
        "ECS_CONTAINER_METADATA_URI_V4 | http://127.0.0.1:9/v4/a | TEMPORAL_ADDRESS is not set on ECS (ECS_CONTAINER_METADATA_URI_V4 is): the host would start the embedded in-memory Temporal and lose every workflow at exit",
      })
  void invalidValueExitsWithCode2AndAOneLineMessage(String variable, String value, String expected)
      throws Exception {
    try (ChildProcess host =
        ChildProcess.start("config", Map.of(variable, value, "DRAINHOST_PORT_UNUSED", "1"))) {
      int exit = host.awaitExit(Duration.ofSeconds(30));
      String out = host.output();
      assertEquals(2, exit, out);
      assertTrue(out.contains("drainhost: invalid configuration: " + expected), out);
      assertFalse(out.contains("Exception"), "no stack trace: " + out);
      assertFalse(out.contains("http listening"), "nothing started: " + out);
      assertEquals(1, out.strip().lines().count(), "one line per problem: " + out);
    }
  }

  @org.junit.jupiter.api.Test
  void anApiKeyInClearIsRefusedWithoutQuotingIt() throws Exception {
    try (ChildProcess host =
        ChildProcess.start(
            "config-key",
            Map.of(
                "TEMPORAL_ADDRESS",
                "127.0.0.1:7233",
                "TEMPORAL_API_KEY",
                "k-secret-123",
                "TEMPORAL_TLS",
                "false"))) {
      assertEquals(2, host.awaitExit(Duration.ofSeconds(30)), host.output());
      assertTrue(
          host.output()
              .contains("drainhost: invalid configuration: TEMPORAL_API_KEY is set and TLS is off"),
          host.output());
      assertFalse(host.output().contains("k-secret-123"), "never the key: " + host.output());
    }
  }

  @org.junit.jupiter.api.Test
  void inJsonLogModeConfigurationErrorsAreJsonLinesToo() throws Exception {
    try (ChildProcess host =
        ChildProcess.start(
            "config-json",
            Map.of(
                "DRAINHOST_LOG_FORMAT",
                "json",
                "DRAINHOST_PORT",
                "70000",
                "DRAINHOST_BIND",
                "nope"))) {
      assertEquals(2, host.awaitExit(Duration.ofSeconds(30)), host.output());
      java.util.List<String> lines = host.output().strip().lines().toList();
      assertEquals(2, lines.size(), "both problems, one line each: " + lines);
      com.fasterxml.jackson.databind.ObjectMapper json =
          new com.fasterxml.jackson.databind.ObjectMapper();
      for (String line : lines) {
        com.fasterxml.jackson.databind.JsonNode event = json.readTree(line);
        assertEquals("ERROR", event.path("level").asText(), line);
        assertTrue(
            event.path("message").asText().startsWith("drainhost: invalid configuration: "), line);
      }
      assertTrue(lines.get(0).contains("DRAINHOST_PORT=70000"), lines.toString());
      assertTrue(lines.get(1).contains("DRAINHOST_BIND=nope"), lines.toString());
    }
  }

  @org.junit.jupiter.api.Test
  void subcommandsAnswerHelpWithTheirUsageAndExit0() {
    for (String[] args :
        new String[][] {
          {"serve", "--help"}, {"dev-server", "-h"}, {"replay-check", "-h"}, {"--help"}
        }) {
      try (ChildProcess help = ChildProcess.start("help", Map.of(), args)) {
        assertEquals(0, help.awaitExit(Duration.ofSeconds(60)), help.output());
        assertTrue(help.output().contains("Usage: drainhost"), help.output());
        assertFalse(help.output().contains("Unknown option"), help.output());
      }
    }
  }

  @org.junit.jupiter.api.Test
  void invalidScheduleDeclarationsExitWithCode2NamingEachScheduleAndField() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("schedules", ".json");
    java.nio.file.Files.writeString(
        file,
        "[{\"id\": \"a\", \"workflowType\": \"GreetingWorkflow\", \"cron\": \"99 * * * *\"},"
            + " {\"id\": \"b\", \"workflowType\": \"GreetingWorkflow\", \"cron\": \"0 7 * * *\","
            + " \"timeZone\": \"Mars/Olympus\"},"
            + " {\"id\": \"c\", \"workflowType\": \"GreetingWorkflow\", \"every\": \"1m\","
            + " \"misfirePolicy\": \"buffer_one\"},"
            + " {\"id\": \"a\", \"workflowType\": \"GreetingWorkflow\", \"every\": \"1m\"}]");
    try (ChildProcess host =
        ChildProcess.start("schedules-invalid", Map.of("DRAINHOST_SCHEDULES", file.toString()))) {
      assertEquals(2, host.awaitExit(Duration.ofSeconds(30)), host.output());
      String out = host.output();
      String prefix = "drainhost: invalid configuration: DRAINHOST_SCHEDULES=" + file + ": ";
      assertTrue(out.contains(prefix + "schedule 'a': cron '99 * * * *' is not valid"), out);
      assertTrue(
          out.contains(prefix + "schedule 'b': timeZone 'Mars/Olympus' is not a known"), out);
      assertTrue(out.contains(prefix + "schedule 'c': misfirePolicy 'buffer_one' is unknown"), out);
      assertTrue(out.contains(prefix + "schedule 'a': id is declared twice"), out);
      assertEquals(4, out.strip().lines().count(), "one line per problem: " + out);
      assertFalse(out.contains("Exception"), out);
    }
  }

  @org.junit.jupiter.api.Test
  void aScheduleOfAnUnregisteredWorkflowTypeExitsWithCode2() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("schedules", ".json");
    java.nio.file.Files.writeString(
        file,
        "[{\"id\": \"nightly\", \"workflowType\": \"NightlyWorkflow\", \"every\": \"1h\"},"
            + " {\"id\": \"greet\", \"workflowType\": \"GreetingWorkflow\", \"every\": \"1h\","
            + " \"input\": {\"name\": 5}}]");
    try (ChildProcess host =
        ChildProcess.start("schedules-type", Map.of("DRAINHOST_SCHEDULES", file.toString()))) {
      assertEquals(2, host.awaitExit(Duration.ofSeconds(30)), host.output());
      String out = host.output();
      assertTrue(
          out.contains(
              "drainhost: invalid configuration: schedule 'nightly': workflowType"
                  + " 'NightlyWorkflow' is not registered on this host"),
          out);
      assertTrue(
          out.contains(
              "drainhost: invalid configuration: schedule 'greet': input.name must be a string"),
          out);
      assertFalse(out.contains("http listening"), "nothing started: " + out);
      assertFalse(out.contains("Exception"), out);
    }
  }
}
