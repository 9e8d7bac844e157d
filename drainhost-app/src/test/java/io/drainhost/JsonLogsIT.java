package io.drainhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.support.Api;
import io.drainhost.testing.ChildProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DRAINHOST_LOG_FORMAT=json: every line a process writes, from start to drain, is one JSON object.
 */
class JsonLogsIT {
  @Test
  void everyLineFromStartThroughADrainIsAJsonObjectWithLevelLoggerAndMessage() throws Exception {
    try (ChildProcess host =
        ChildProcess.start(
            "json-logs",
            Map.of(
                "DRAINHOST_LOG_FORMAT", "json",
                "DRAINHOST_PORT", "0",
                "DRAINHOST_BIND", "127.0.0.1"))) {
      int port = host.awaitHttpPort();
      host.awaitLog("workers started", Duration.ofSeconds(60));
      Api.start(port, Api.GREET_ADA).then().statusCode(201);
      host.signal("TERM");
      assertEquals(0, host.awaitExit(Duration.ofSeconds(60)), host.tail());
      List<String> lines = host.output().strip().lines().toList();
      assertTrue(lines.size() > 5, host.output());
      ObjectMapper json = new ObjectMapper();
      for (String line : lines) {
        JsonNode event;
        try {
          event = json.readTree(line);
        } catch (Exception e) {
          throw new AssertionError("not JSON: " + line, e);
        }
        assertTrue(event.isObject(), line);
        assertFalse(event.path("level").asText().isEmpty(), line);
        assertFalse(event.path("loggerName").asText().isEmpty(), line);
        assertFalse(event.path("formattedMessage").asText().isEmpty(), line);
      }
      assertTrue(
          lines.stream().anyMatch(l -> l.contains("drain report: trigger=SIGTERM")), host.output());
      assertTrue(
          lines.stream().anyMatch(l -> l.contains("EMBEDDED in-memory Temporal")), host.output());
    }
  }
}
