package io.drainhost.backlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.config.Versioning;
import io.drainhost.testing.EmfSpecification;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmfLineTest {
  private final QueueStats stats = new QueueStats("orders", "activity", 42, 3.5, 12.0f, 9.5f);

  @Test
  void aBacklogLineMeetsTheEmbeddedMetricFormatSpecification() {
    String line = EmfLine.of(stats, Optional.empty(), Instant.parse("2026-11-29T12:00:00Z"));
    assertEquals(List.of(), EmfSpecification.violations(line), line);
    assertFalse(line.contains("\n"), "one line: " + line);
  }

  @Test
  void itCarriesTheBacklogWithTheTaskQueueAndKindAsDimensions() throws Exception {
    JsonNode line =
        new ObjectMapper()
            .readTree(EmfLine.of(stats, Optional.empty(), Instant.parse("2026-11-29T12:00:00Z")));
    assertEquals(1795953600000L, line.at("/_aws/Timestamp").asLong());
    assertEquals("drainhost", line.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
    assertEquals("TaskQueue", line.at("/_aws/CloudWatchMetrics/0/Dimensions/0/0").asText());
    assertEquals("orders", line.get("TaskQueue").asText());
    assertEquals("activity", line.get("Kind").asText());
    assertEquals(42, line.get("Backlog").asLong());
    assertEquals(3.5, line.get("BacklogAgeSeconds").asDouble());
  }

  @Test
  void aVersionedHostsLineCarriesItsDeploymentAndBuildIdAsDimensionsToo() throws Exception {
    String text =
        EmfLine.of(
            stats,
            Optional.of(new Versioning.Version("orders", "v2")),
            Instant.parse("2026-11-29T12:00:00Z"));
    assertEquals(List.of(), EmfSpecification.violations(text), text);
    JsonNode line = new ObjectMapper().readTree(text);
    assertEquals(
        "[\"TaskQueue\",\"Kind\",\"Deployment\",\"BuildId\"]",
        line.at("/_aws/CloudWatchMetrics/0/Dimensions/0").toString());
    assertEquals("orders", line.get("Deployment").asText());
    assertEquals("v2", line.get("BuildId").asText());
    assertEquals(1, line.at("/_aws/CloudWatchMetrics/0/Dimensions").size(), "one set: no mix");
  }

  @Test
  void theCheckerItselfRejectsLinesCloudWatchWouldNotRead() {
    assertTrue(EmfSpecification.violations("{\"Backlog\": 1}").contains("_aws: required object"));
    String noValue =
        "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"n\","
            + "\"Dimensions\":[[\"TaskQueue\"]],\"Metrics\":[{\"Name\":\"Backlog\"}]}]}}";
    assertEquals(
        List.of(
            "dimension \"TaskQueue\": the root node must have it as a string member",
            "metric Backlog: the root node must have it as a number"),
        EmfSpecification.violations(noValue));
  }
}
