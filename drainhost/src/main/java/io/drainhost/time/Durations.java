package io.drainhost.time;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration syntax of the configuration: {@code 500ms}, {@code 25s}, {@code 2m}, {@code
 * 1h} or ISO-8601.
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private Durations() {}

  /** Returns the duration, or throws {@link IllegalArgumentException} naming the accepted forms. */
  public static Duration parse(String text) {
    String trimmed = text.trim();
    Matcher m = SHORT.matcher(trimmed);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(amount);
        case "s":
          return Duration.ofSeconds(amount);
        case "m":
          return Duration.ofMinutes(amount);
        default:
          return Duration.ofHours(amount);
      }
    }
    if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
      try {
        Duration d = Duration.parse(trimmed);
        if (!d.isNegative()) {
          return d;
        }
      } catch (DateTimeParseException ignored) {
        // fall through to the common message
      }
    }
    throw new IllegalArgumentException("must be a duration such as 500ms, 25s, 2m or PT25S");
  }

  /** Formats a duration the way the configuration writes it, e.g. {@code 25s} or {@code 1500ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
