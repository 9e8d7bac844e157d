package io.drainhost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogConfiguratorTest {
  @Test
  void drainhostsOwnSetupWritesOneJsonObjectPerLineWithTheFormattedMessage() throws Exception {
    LoggerContext context = context();
    LogConfigurator.apply(context, LogFormat.JSON, "System.err");
    String written = capturingStderr(() -> context.getLogger("io.drainhost.X").info("hello {}", 7));
    JsonNode line = new ObjectMapper().readTree(written.strip());
    assertEquals("INFO", line.path("level").asText());
    assertEquals("io.drainhost.X", line.path("loggerName").asText());
    assertEquals("hello 7", line.path("formattedMessage").asText());
    context.stop();
  }

  @Test
  void textLinesCarryTheLevelTheLoggerAndTheMessage() {
    LoggerContext context = context();
    LogConfigurator.apply(context, LogFormat.TEXT, "System.err");
    String written = capturingStderr(() -> context.getLogger("io.drainhost.X").warn("careful"));
    assertTrue(
        written.matches("(?s)\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN .* io.drainhost.X - careful\\R"),
        written);
    context.stop();
  }

  @Test
  void theHostLogsAtInfoAndTheLibrariesOnlyTheirWarnings() {
    LoggerContext context = context();
    LogConfigurator.apply(context, LogFormat.TEXT, "System.out");
    assertEquals(Level.INFO, context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel());
    assertEquals(Level.WARN, context.getLogger("io.grpc").getLevel());
    assertEquals(Level.WARN, context.getLogger("org.eclipse.jetty").getLevel());
    assertEquals(Level.WARN, context.getLogger("io.javalin").getLevel());
    assertEquals(
        Level.ERROR, context.getLogger("io.temporal.internal.worker.ShutdownManager").getLevel());
    String written = capturingStderr(() -> context.getLogger("io.grpc.X").info("chatter"));
    assertEquals("", written);
    context.stop();
  }

  @Test
  void theSetupItAppliedIsKnownSoThatTheSameOneIsNotAppliedTwice() {
    LoggerContext context = context();
    assertFalse(LogConfigurator.applied(context, LogFormat.JSON, "System.out"));
    LogConfigurator.apply(context, LogFormat.JSON, "System.out");
    assertTrue(LogConfigurator.applied(context, LogFormat.JSON, "System.out"));
    assertFalse(LogConfigurator.applied(context, LogFormat.JSON, "System.err"));
    assertFalse(LogConfigurator.applied(context, LogFormat.TEXT, "System.out"));
    context.stop();
  }

  @Test
  void anApplicationWithItsOwnLogbackFileKeepsIt() {
    // These tests' class path has a logback-test.xml, as a service with its own configuration has.
    assertTrue(LogConfigurator.applicationConfigured());
    LoggerContext context = context();
    LogConfigurator configurator = new LogConfigurator();
    configurator.setContext(context);
    assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context));
    assertFalse(
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext());
    context.stop();
  }

  /** A context as logback's provider makes it, unconfigured. */
  private static LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    return context;
  }

  private static String capturingStderr(Runnable logging) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      logging.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
