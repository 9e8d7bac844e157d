package io.drainhost.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import java.util.Locale;
import java.util.Map;

/**
 * drainhost's logging, unless the application brings its own logback configuration (a {@code
 * logback.xml} or {@code logback-test.xml} on the class path, or {@code
 * -Dlogback.configurationFile}), which then applies as it would without drainhost. Found by logback
 * as a service.
 *
 * <p>Set up in code, not read from an XML file: parsing one (and loading the XML parser) took about
 * 150 ms of a task's start on its one CPU, a sixth of it.
 *
 * <p>The format is {@code DRAINHOST_LOG_FORMAT} from the start, so that the first line is already
 * in it; {@link Logging} applies the validated configuration's afterwards.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  /** The setup applied, as {@code format target}, kept in the logger context. */
  static final String APPLIED = "drainhost.logSetup";

  private static final Map<String, Level> QUIET =
      Map.of(
          "io.javalin", Level.WARN,
          "org.eclipse.jetty", Level.WARN,
          "io.grpc", Level.WARN,
          "io.temporal.internal.testservice", Level.WARN,
          // Warns every 200 ms while a drain waits for activities; the drain logs its own progress.
          "io.temporal.internal.worker.ShutdownManager", Level.ERROR);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (applicationConfigured()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context, initialFormat(), System.getProperty(Logging.TARGET_PROPERTY, "System.out"));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Whether the application configures logback itself, so that drainhost leaves it alone. */
  static boolean applicationConfigured() {
    if (System.getProperty("logback.configurationFile") != null) {
      return true;
    }
    ClassLoader loader = LogConfigurator.class.getClassLoader();
    return loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null;
  }

  /** Whether {@link #apply} made the context's current setup, and with these. */
  static boolean applied(LoggerContext context, LogFormat format, String target) {
    return key(format, target).equals(context.getObject(APPLIED));
  }

  /** Logs at INFO, libraries quieter, in this format to this target (System.out or System.err). */
  static void apply(LoggerContext context, LogFormat format, String target) {
    // logback prints its own status lines at start when nothing listens to them
    context.getStatusManager().add(new NopStatusListener());

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(format.name().toLowerCase(Locale.ROOT));
    console.setTarget(target);
    console.setEncoder(encoder(context, format));
    console.start();

    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
    context.putObject(APPLIED, key(format, target));
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, LogFormat format) {
    if (format == LogFormat.JSON) {
      JsonEncoder json = new JsonEncoder();
      json.setContext(context);
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithArguments(false);
      json.setWithFormattedMessage(true);
      json.setWithMessage(false);
      json.start();
      return json;
    }
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n");
    text.start();
    return text;
  }

  /**
   * The format a start logs its first lines in: the one {@link Logging} chose (a reconfiguration),
   * else {@code DRAINHOST_LOG_FORMAT}; text when neither names one (an invalid value is refused by
   * the configuration, in text).
   */
  private static LogFormat initialFormat() {
    String chosen = System.getProperty(Logging.PROPERTY);
    if (chosen == null) {
      chosen = System.getenv("DRAINHOST_LOG_FORMAT");
    }
    return chosen != null && chosen.strip().equalsIgnoreCase("json")
        ? LogFormat.JSON
        : LogFormat.TEXT;
  }

  private static String key(LogFormat format, String target) {
    return format + " " + target;
  }
}
