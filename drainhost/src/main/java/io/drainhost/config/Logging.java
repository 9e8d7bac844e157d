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

  private Logging() {}

  public static void configure(LogFormat format) {
    String wanted = format == LogFormat.JSON ? "json" : "text";
    String current = System.getProperty(PROPERTY, "text");
    System.setProperty(PROPERTY, wanted);
    if (wanted.equals(current)) {
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
