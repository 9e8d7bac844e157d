package io.drainhost.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduleFileTest {
  @Test
  void theContractsExampleIsReadWithItsDefaults() {
    ScheduleFile.Result r =
        ScheduleFile.parse(
            "[{\"id\": \"daily-triage\", \"workflowType\": \"GreetingWorkflow\", \"input\":"
                + " {\"name\": \"triage\"}, \"cron\": \"20 7 * * *\", \"timeZone\":"
                + " \"Europe/Berlin\", \"misfirePolicy\": \"catchup_latest\", \"tolerance\":"
                + " \"5m\"}, {\"id\": \"pulse\", \"workflowType\": \"GreetingWorkflow\", \"every\":"
                + " \"30s\"}]");
    assertEquals(List.of(), r.problems());
    ScheduleDeclaration triage = r.declarations().get(0);
    assertEquals(Optional.of("20 7 * * *"), triage.cron());
    assertEquals("Europe/Berlin", triage.timeZone());
    assertEquals(MisfirePolicy.CATCHUP_LATEST, triage.misfirePolicy());
    assertEquals(Duration.ofMinutes(5), triage.tolerance());
    assertEquals("triage", triage.input().get("name").asText());
    ScheduleDeclaration pulse = r.declarations().get(1);
    assertEquals(Optional.of(Duration.ofSeconds(30)), pulse.every());
    assertEquals("UTC", pulse.timeZone());
    assertEquals(MisfirePolicy.SKIP, pulse.misfirePolicy());
    assertEquals(Duration.ofMinutes(1), pulse.tolerance());
    assertTrue(pulse.input().isNull());
  }

  @Test
  void everyProblemNamesTheScheduleAndTheField() {
    ScheduleFile.Result r =
        ScheduleFile.parse(
            "[{\"id\": \"a\", \"workflowType\": \"W\", \"cron\": \"61 * * * *\"},"
                + " {\"id\": \"b\", \"workflowType\": \"W\", \"cron\": \"* * *\"},"
                + " {\"id\": \"c\", \"workflowType\": \"W\", \"every\": \"1m\", \"timeZone\":"
                + " \"Mars/Olympus\"},"
                + " {\"id\": \"d\", \"workflowType\": \"W\", \"cron\": \"0 7 * * *\", \"timeZone\":"
                + " \"Mars/Olympus\"},"
                + " {\"id\": \"e\", \"workflowType\": \"W\", \"every\": \"1m\", \"misfirePolicy\":"
                + " \"buffer_one\"},"
                + " {\"id\": \"f\", \"workflowType\": \"W\", \"every\": \"soon\"},"
                + " {\"id\": \"g\", \"workflowType\": \"W\", \"every\": \"1m\", \"cron\": \"* * * * *\"},"
                + " {\"id\": \"h\", \"workflowType\": \"W\", \"every\": \"1m\", \"schedule\": 1},"
                + " {\"workflowType\": \"W\", \"every\": \"1m\"},"
                + " {\"id\": \"j\", \"every\": \"1m\"},"
                + " {\"id\": \"k\", \"workflowType\": \"W\", \"every\": \"1m\", \"tolerance\": \"0s\"},"
                + " {\"id\": \"dup\", \"workflowType\": \"W\", \"every\": \"1m\"},"
                + " {\"id\": \"dup\", \"workflowType\": \"W\", \"every\": \"2m\"}]");
    List<String> p = r.problems();
    assertHas(p, "schedule 'a': cron '61 * * * *' is not valid");
    assertHas(p, "schedule 'b': cron '* * *' must have 5 fields");
    assertHas(p, "schedule 'c': timeZone 'Mars/Olympus' is not a known time zone");
    assertHas(p, "schedule 'd': timeZone 'Mars/Olympus' is not a known time zone");
    assertHas(
        p,
        "schedule 'e': misfirePolicy 'buffer_one' is unknown; use one of skip, catchup_all, catchup_latest");
    assertHas(p, "schedule 'f': every 'soon' must be a duration");
    assertHas(p, "schedule 'g': give exactly one of cron and every");
    assertHas(p, "schedule 'h': unknown field 'schedule'");
    assertHas(p, "schedule '#9': id is required");
    assertHas(p, "schedule 'j': workflowType is required");
    assertHas(p, "schedule 'k': tolerance must be at least 1s");
    assertHas(p, "schedule 'dup': id is declared twice");
    assertEquals(12, p.size(), String.join("\n", p));
  }

  @Test
  void aFileThatIsNoArrayOfObjectsSaysSo() {
    assertHas(ScheduleFile.parse("{\"id\": \"a\"}").problems(), "must be a JSON array");
    assertHas(ScheduleFile.parse("[1]").problems(), "schedule #1: must be a JSON object");
    assertHas(ScheduleFile.parse("[{] ").problems(), "not valid JSON");
    assertHas(ScheduleFile.parse("[] []").problems(), "not valid JSON");
  }

  private static void assertHas(List<String> problems, String start) {
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith(start)),
        "no problem starting with \"" + start + "\" in:\n" + String.join("\n", problems));
  }
}
