package io.drainhost.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drainhost.testing.EcsTaskDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader ContainerIT runs the shipped task definition with: it knows every field of the file,
 * and a field it does not know fails, so the file cannot carry a setting no test runs.
 */
class EcsTaskDefinitionTest {
  static final Path SHIPPED = DeploymentFilesTest.TASK_DEFINITION;

  @Test
  void theShippedTaskDefinitionBecomesTheEnginesFlags() {
    EcsTaskDefinition task = EcsTaskDefinition.read(SHIPPED);
    List<String> args =
        task.runArguments(
            "t",
            "localhost/drainhost:test",
            Map.of(8080, 18080, 9090, 19090),
            Map.of("TEMPORAL_API_KEY", Optional.empty()),
            Map.of("TEMPORAL_ADDRESS", "127.0.0.1:7233"));
    String joined = String.join(" ", args);
    assertTrue(joined.contains("--init"), joined);
    assertTrue(joined.contains("--user 10001:10001"), joined);
    assertTrue(joined.contains("--stop-timeout 30"), joined);
    assertTrue(joined.contains("-e DRAINHOST_PORT=18080"), joined);
    assertTrue(joined.contains("-e DRAINHOST_MANAGEMENT_PORT=19090"), joined);
    assertTrue(joined.contains("-e TEMPORAL_ADDRESS=127.0.0.1:7233"), joined);
    assertTrue(joined.contains("--health-cmd [\"bash\",\"-c\","), joined);
    assertTrue(joined.contains("--health-start-period 60s"), joined);
    assertTrue(joined.contains("--memory 2048m"), joined);
    assertTrue(joined.contains("--read-only"), joined);
    assertTrue(joined.contains("--cap-drop ALL"), joined);
    assertTrue(joined.contains("--tmpfs /tmp:rw,exec,nosuid,nodev,mode=1777"), joined);
    assertEquals("serve", args.get(args.size() - 1));
    assertEquals("localhost/drainhost:test", args.get(args.size() - 2));
  }

  @Test
  void aFieldTheReaderDoesNotKnowFailsTheRead(@TempDir Path dir) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode task = (ObjectNode) json.readTree(Files.readString(SHIPPED));
    ((ObjectNode) task.path("containerDefinitions").get(0)).put("privileged", true);
    Path file = dir.resolve("task-definition.json");
    Files.writeString(file, json.writeValueAsString(task));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EcsTaskDefinition.read(file));
    assertTrue(e.getMessage().contains("privileged"), e.getMessage());
  }

  @Test
  void everySecretIsGivenAValueOrLeftUnsetOnPurpose() {
    EcsTaskDefinition task = EcsTaskDefinition.read(SHIPPED);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> task.runArguments("t", "i", Map.of(8080, 1, 9090, 2), Map.of(), Map.of()));
    assertTrue(e.getMessage().contains("TEMPORAL_API_KEY"), e.getMessage());
  }
}
