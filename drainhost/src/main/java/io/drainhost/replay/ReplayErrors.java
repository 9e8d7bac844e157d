package io.drainhost.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a failed replay says about the build. Only the code's failures are evidence against it: a
 * nondeterminism error, or an exception its workflow code throws on replay. A failure of the
 * environment (the SDK's deadlock detector on a starved CPU, an OutOfMemoryError, an interrupted
 * thread, a timeout) says nothing about the code and never refuses a build.
 */
final class ReplayErrors {
  /** What a failed replay means, and its cause chain on one line. */
  record Verdict(ReplayFailure.Reason reason, String message) {}

  private static final List<String> ENVIRONMENT =
      List.of(
          "PotentialDeadlockException",
          "[TMPRL1101]",
          "OutOfMemoryError",
          "InterruptedException",
          "TimeoutException",
          "StackOverflowError");

  private ReplayErrors() {}

  static Verdict classify(Throwable error) {
    String chain = causeChain(error);
    String text = fullText(error);
    for (String line : text.split("\n")) {
      if (line.contains("NonDeterministicException") || line.contains("[TMPRL1100]")) {
        return new Verdict(
            ReplayFailure.Reason.NONDETERMINISM, line.substring(line.indexOf(':') + 1).trim());
      }
    }
    for (String marker : ENVIRONMENT) {
      if (text.contains(marker)) {
        return new Verdict(
            ReplayFailure.Reason.REPLAY_INCOMPLETE,
            "the environment, not the code, ended the replay (" + marker + "): " + chain);
      }
    }
    return new Verdict(ReplayFailure.Reason.REPLAY_ERROR, chain);
  }

  /**
   * Every cause, outermost first, as {@code Type: first line of its message}, joined by {@code <-};
   * the SDK's own text (a workflow task's failure carries its stack trace as text) is cut to its
   * {@code Caused by:} lines.
   */
  static String causeChain(Throwable error) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = error; t != null && parts.size() < 8; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      parts.add(t.getClass().getSimpleName() + ": " + firstLine(message));
      for (String line : message.split("\n")) {
        if (line.trim().startsWith("Caused by:")) {
          parts.add(line.trim().substring("Caused by:".length()).trim());
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return String.join(" <- ", parts.stream().distinct().toList());
  }

  private static String fullText(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      all.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static String firstLine(String message) {
    String first = message.split("\n", 2)[0].trim();
    return first.toLowerCase(Locale.ROOT).startsWith("error=") ? first.substring(6) : first;
  }
}
