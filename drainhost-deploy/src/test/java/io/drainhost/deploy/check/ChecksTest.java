package io.drainhost.deploy.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.deploy.aws.SettingsReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * What {@code check} finds: the shipped files pass, and each setting a drain depends on is flagged,
 * naming its field, when it is wrong.
 */
class ChecksTest {
  static final Path ROOT = Path.of(System.getProperty("drainhost.root", ".."));

  /** Settings that fit drainhost, as the shipped files have them. */
  static Settings good() {
    return SettingsReader.fromFiles(
        io.drainhost.deploy.aws.SourceFile.read(
            ROOT.resolve("ecs/task-definition.json"), "task definition"),
        io.drainhost.deploy.aws.SourceFile.read(
            ROOT.resolve("ecs/service-settings.json"), "service settings"));
  }

  static Settings with(
      Settings s,
      OptionalInt stopTimeout,
      Map<String, String> env,
      boolean init,
      List<String> entryPoint,
      List<String> healthCheck,
      Optional<String> path,
      OptionalInt delay,
      OptionalInt grace,
      OptionalInt minHealthy) {
    return new Settings(
        "a fixture",
        s.container(),
        stopTimeout,
        env,
        init,
        entryPoint,
        healthCheck,
        s.healthCheckStartPeriod(),
        path,
        s.targetGroupHealthCheckInterval(),
        s.targetGroupHealthyThreshold(),
        delay,
        grace,
        minHealthy,
        true);
  }

  static Settings withEnv(Settings s, String name, String value) {
    Map<String, String> env = new HashMap<>(s.environment());
    env.put(name, value);
    return with(
        s,
        s.stopTimeout(),
        env,
        s.initProcessEnabled(),
        s.entryPoint(),
        s.healthCheckCommand(),
        s.targetGroupHealthCheckPath(),
        s.deregistrationDelay(),
        s.healthCheckGracePeriod(),
        s.minimumHealthyPercent());
  }

  static List<Finding> errors(Settings s) {
    return Checks.check(s).stream().filter(Finding::error).toList();
  }

  static Finding only(List<Finding> findings, String field) {
    List<Finding> matching = findings.stream().filter(f -> f.field().endsWith(field)).toList();
    assertEquals(1, matching.size(), field + " in " + findings);
    return matching.get(0);
  }

  @Test
  void theShippedFilesFitDrainhost() {
    List<Finding> findings = Checks.check(good());
    assertTrue(findings.stream().noneMatch(Finding::error), findings.toString());
    assertTrue(
        findings.stream().noneMatch(f -> f.level() == Finding.Level.WARNING), findings.toString());
  }

  @Test
  void aStopTimeoutThatDiffersFromTheHostsOrDoesNotFitTheDrainIsAnError() {
    Settings g = good();
    Settings differs =
        with(
            g,
            OptionalInt.of(60),
            g.environment(),
            true,
            g.entryPoint(),
            g.healthCheckCommand(),
            g.targetGroupHealthCheckPath(),
            g.deregistrationDelay(),
            g.healthCheckGracePeriod(),
            g.minimumHealthyPercent());
    assertTrue(
        only(errors(differs), "stopTimeout").message().contains("DRAINHOST_STOP_TIMEOUT is 30 s"));
    Settings tooLong = withEnv(g, "DRAINHOST_SHUTDOWN_TIMEOUT", "29s");
    assertTrue(only(errors(tooLong), "stopTimeout").message().contains("do not fit"));
    Settings fargate =
        with(
            g,
            OptionalInt.of(180),
            g.environment(),
            true,
            g.entryPoint(),
            g.healthCheckCommand(),
            g.targetGroupHealthCheckPath(),
            g.deregistrationDelay(),
            g.healthCheckGracePeriod(),
            g.minimumHealthyPercent());
    assertTrue(only(errors(fargate), "stopTimeout").message().contains("120 s"));
  }

  @Test
  void aShellAsTheEntryPointIsAnErrorAndNoInitAWarning() {
    Settings g = good();
    Settings shell =
        with(
            g,
            g.stopTimeout(),
            g.environment(),
            false,
            List.of("sh", "-c", "java -jar app.jar"),
            g.healthCheckCommand(),
            g.targetGroupHealthCheckPath(),
            g.deregistrationDelay(),
            g.healthCheckGracePeriod(),
            g.minimumHealthyPercent());
    assertTrue(only(errors(shell), "entryPoint").message().contains("does not pass SIGTERM on"));
    Settings noInit =
        with(
            g,
            g.stopTimeout(),
            g.environment(),
            false,
            List.of(),
            g.healthCheckCommand(),
            g.targetGroupHealthCheckPath(),
            g.deregistrationDelay(),
            g.healthCheckGracePeriod(),
            g.minimumHealthyPercent());
    assertEquals(Finding.Level.WARNING, only(Checks.check(noInit), "initProcessEnabled").level());
  }

  @Test
  void aContainerHealthCheckOnReadinessIsAnError() {
    Settings g = good();
    Settings readiness =
        with(
            g,
            g.stopTimeout(),
            g.environment(),
            true,
            g.entryPoint(),
            List.of("CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"),
            g.targetGroupHealthCheckPath(),
            g.deregistrationDelay(),
            g.healthCheckGracePeriod(),
            g.minimumHealthyPercent());
    assertTrue(
        only(errors(readiness), "healthCheck.command").message().contains("probe /health/live"));
  }

  @Test
  void aTargetGroupCheckingLivenessOrAnotherPathIsAnError() {
    Settings g = good();
    for (String path : List.of("/health/live", "/")) {
      Settings wrong =
          with(
              g,
              g.stopTimeout(),
              g.environment(),
              true,
              g.entryPoint(),
              g.healthCheckCommand(),
              Optional.of(path),
              g.deregistrationDelay(),
              g.healthCheckGracePeriod(),
              g.minimumHealthyPercent());
      assertTrue(only(errors(wrong), "HealthCheckPath").message().contains("use /health"), path);
    }
  }

  @Test
  void aGracePeriodShorterThanTheReplayGateAndTheHealthyChecksIsAnError() {
    Settings g = good();
    Settings short_ =
        with(
            g,
            g.stopTimeout(),
            g.environment(),
            true,
            g.entryPoint(),
            g.healthCheckCommand(),
            g.targetGroupHealthCheckPath(),
            g.deregistrationDelay(),
            OptionalInt.of(30),
            g.minimumHealthyPercent());
    Finding f = only(errors(short_), "healthCheckGracePeriodSeconds");
    assertTrue(f.message().contains("DRAINHOST_REPLAY_TIMEOUT 30 s"), f.message());
    assertTrue(f.message().contains("65 s"), "5 + 30 + 2 × 15: " + f.message());
    Settings forty =
        with(
            g,
            g.stopTimeout(),
            g.environment(),
            true,
            g.entryPoint(),
            g.healthCheckCommand(),
            g.targetGroupHealthCheckPath(),
            g.deregistrationDelay(),
            OptionalInt.of(40),
            g.minimumHealthyPercent());
    assertEquals(1, errors(forty).size(), "40 s is short with the gate");
    Settings gateOff = withEnv(forty, "DRAINHOST_REPLAY_GATE", "off");
    assertTrue(errors(gateOff).isEmpty(), "without the gate 35 s is needed: " + errors(gateOff));
  }

  @Test
  void aDeregistrationDelayShorterThanSilencePlusShutdownIsAWarning() {
    Settings g = good();
    Settings short_ =
        with(
            g,
            g.stopTimeout(),
            g.environment(),
            true,
            g.entryPoint(),
            g.healthCheckCommand(),
            g.targetGroupHealthCheckPath(),
            OptionalInt.of(60),
            g.healthCheckGracePeriod(),
            g.minimumHealthyPercent());
    Finding f = only(Checks.check(short_), "deregistration_delay.timeout_seconds");
    assertEquals(Finding.Level.WARNING, f.level());
    assertTrue(f.message().contains("at least 100 s"), f.message());
  }

  @Test
  void aMinimumHealthyPercentBelow100IsAWarning() {
    Settings g = good();
    Settings half =
        with(
            g,
            g.stopTimeout(),
            g.environment(),
            true,
            g.entryPoint(),
            g.healthCheckCommand(),
            g.targetGroupHealthCheckPath(),
            g.deregistrationDelay(),
            g.healthCheckGracePeriod(),
            OptionalInt.of(50));
    assertEquals(Finding.Level.WARNING, only(Checks.check(half), "minimumHealthyPercent").level());
  }
}
