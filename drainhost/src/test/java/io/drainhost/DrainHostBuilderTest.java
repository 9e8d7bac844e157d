package io.drainhost;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.config.ConfigException;
import io.drainhost.config.HostConfig;
import io.drainhost.library.ReportWorkflowImpl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the builder checks when it builds a host, before anything starts. */
class DrainHostBuilderTest {
  @Test
  void aSchedulesFileThatDoesNotParseIsAConfigurationErrorNamingTheFileAndTheSchedule()
      throws Exception {
    Path file = Files.createTempFile("schedules", ".json");
    Files.writeString(file, "[{\"id\": \"p\", \"workflowType\": \"W\", \"cron\": \"99 * * * *\"}]");
    ConfigException invalid =
        assertThrows(
            ConfigException.class,
            () ->
                DrainHost.builder()
                    .config(HostConfig.defaults().withSchedulesFile(Optional.of(file)))
                    .registerWorkflowImplementationTypes(ReportWorkflowImpl.class)
                    .build());
    assertTrue(
        invalid
            .problems()
            .get(0)
            .startsWith("DRAINHOST_SCHEDULES=" + file + ": schedule 'p': cron"),
        invalid.problems().toString());
  }
}
