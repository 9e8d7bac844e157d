package io.drainhost.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @Test
  void acceptsTheShortFormsAndIso8601() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(25), Durations.parse("25s"));
    assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals(Duration.ofSeconds(25), Durations.parse("PT25S"));
    assertEquals(Duration.ofSeconds(25), Durations.parse(" 25s "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"25", "abc", "-5s", "5 s", "1.5s", "PT-5S", "P", "25sec", ""})
  void rejectsAnythingElseNamingTheAcceptedForms(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertEquals("must be a duration such as 500ms, 25s, 2m or PT25S", e.getMessage());
  }

  @Test
  void formatsWholeSecondsAsSecondsAndTheRestAsMilliseconds() {
    assertEquals("25s", Durations.format(Duration.ofSeconds(25)));
    assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
  }
}
