package io.drainhost.config;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code DRAINHOST_LOG_FORMAT}. logback.xml picks its appender from a system property;
 * logging may already be initialised by then (any class with a logger), so it is re-read.
 */
public final class Logging {
  static final String PROPERTY = "drainhost.logFormat";
  static final String TARGET_PROPERTY = "drainhost.logTarget";

  private Logging() {}

  /** Logs in this format to stdout, where a service's log shipper reads them. */
  public static void configure(LogFormat format) {
    configure(format, "System.out");
  }

  /**
   * Logs in this format to stderr: for a command whose stdout is its result (a table a pipeline
   * reads), so that log lines never mix into it.
   */
  public static void configureOnStderr(LogFormat format) {
    configure(format, "System.err");
  }

  private static void configure(LogFormat format, String target) {
    String wanted = format == LogFormat.JSON ? "json" : "text";
    String current = System.getProperty(PROPERTY, "text");
    String currentTarget = System.getProperty(TARGET_PROPERTY, "System.out");
    System.setProperty(PROPERTY, wanted);
    System.setProperty(TARGET_PROPERTY, target);
    if (wanted.equals(current) && target.equals(currentTarget)) {
      return; // logback.xml already chose this appender
    }
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext) {
      LoggerContext context = (LoggerContext) factory;
      context.reset();
      try {
        new ContextInitializer(context).autoConfig();
      } catch (JoranException e) {
        System.err.println("drainhost: could not configure logging: " + e.getMessage());
      }
    }
  }
}
