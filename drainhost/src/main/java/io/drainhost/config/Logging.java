package io.drainhost.config;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies the configuration's log format and target: to drainhost's own setup ({@link
 * LogConfigurator}) directly; to an application's logback.xml through the system properties it may
 * read ({@code drainhost.logFormat}, {@code drainhost.logTarget}), re-reading it when they change.
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
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext)) {
      return;
    }
    LoggerContext context = (LoggerContext) factory;
    if (context.getObject(LogConfigurator.APPLIED) != null) {
      // drainhost's own setup: applied again only when it differs
      if (!LogConfigurator.applied(context, format, target)) {
        context.reset();
        LogConfigurator.apply(context, format, target);
      }
      return;
    }
    if (wanted.equals(current) && target.equals(currentTarget)) {
      return; // the application's logback.xml already read these
    }
    context.reset();
    try {
      new ContextInitializer(context).autoConfig();
    } catch (JoranException e) {
      System.err.println("drainhost: could not configure logging: " + e.getMessage());
    }
  }
}
