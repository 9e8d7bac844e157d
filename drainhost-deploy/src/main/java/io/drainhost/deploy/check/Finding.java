package io.drainhost.deploy.check;

/**
 * One finding of {@code check}: a setting of the task definition or the service, what drainhost
 * needs of it, and why.
 *
 * @param field where the setting is, e.g. {@code containerDefinitions[drainhost].stopTimeout}
 */
public record Finding(Level level, String field, String message) {
  /** How much it matters: an error refuses a release. */
  public enum Level {
    OK,
    WARNING,
    ERROR
  }

  public boolean error() {
    return level == Level.ERROR;
  }

  public static Finding ok(String field, String message) {
    return new Finding(Level.OK, field, message);
  }

  public static Finding warning(String field, String message) {
    return new Finding(Level.WARNING, field, message);
  }

  public static Finding error(String field, String message) {
    return new Finding(Level.ERROR, field, message);
  }

  public String line() {
    return level + " " + field + ": " + message;
  }
}
