package io.drainhost.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.deploy.act.Actor;
import io.drainhost.deploy.aws.SourceFile;
import io.drainhost.deploy.plan.FailureRule;
import io.drainhost.deploy.plan.RampStep;
import io.drainhost.deploy.plan.Release;
import io.drainhost.deploy.time.Durations;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/** The flags every release takes: the gates, the ramp and the rules that roll it back. */
final class ReleaseOptions {
  @Option(
      names = "--steps",
      defaultValue = "",
      description = "ramp steps percent:duration, e.g. 10:5m,50:10m (default: none, all at once)")
  String steps;

  @Option(
      names = "--gate-workflow",
      description = "a workflow type started pinned to the new version before any traffic")
  String gateWorkflow;

  @Option(
      names = "--step-gate",
      description = "a workflow type started pinned to the new version before every ramp step")
  String stepGate;

  @Option(names = "--gate-input", defaultValue = "null", description = "the gates' input, JSON")
  String gateInput;

  @Option(names = "--gate-task-queue", description = "the gates' task queue")
  String gateTaskQueue;

  @Option(names = "--gate-timeout", defaultValue = "5m", description = "how long a gate may take")
  String gateTimeout;

  @Option(
      names = "--pollers-timeout",
      defaultValue = "5m",
      description =
          "how long the version may take to poll the current version's task queues after its"
              + " service was created; past it the release fails")
  String pollersTimeout;

  @Option(
      names = "--max-failures",
      description =
          "failed runs and runs failing workflow tasks tolerated in a step's window (default 0"
              + " without --max-failure-rate)")
  Long maxFailures;

  @Option(
      names = "--max-failure-rate",
      description =
          "the highest share of failures (failed runs and runs failing workflow tasks, over runs"
              + " started, at least --min-runs) in a step's window, e.g. 0.05")
  Double maxFailureRate;

  @Option(
      names = "--min-runs",
      defaultValue = "20",
      description = "the least denominator of the failure rate (default ${DEFAULT-VALUE})")
  long minRuns;

  @Option(
      names = "--rollback-window",
      defaultValue = "0s",
      description =
          "after promotion, watch this long on the same rule and roll back to the previous"
              + " version (default: no watch)")
  String rollbackWindow;

  @Option(names = "--dry-run", description = "print the plan, change nothing")
  boolean dryRun;

  @Option(
      names = "--detach",
      description =
          "start the release and return at once (exit 0); drainhost-deploy follow attaches to it")
  boolean detach;

  /** What the release's worker needs from this command: the files' text, the flags, the gates'. */
  Actor.Sources sources(SourceOptions source) {
    return new Actor.Sources(
        Optional.ofNullable(source.taskDefinition).map(f -> SourceFile.read(f, "task definition")),
        Optional.ofNullable(source.serviceSettings)
            .map(f -> SourceFile.read(f, "service settings")),
        source.account(),
        gateInput(),
        Optional.ofNullable(gateTaskQueue));
  }

  Release release(
      String deployment, String buildId, Optional<String> image, Optional<Integer> desired) {
    if (gateWorkflow != null || stepGate != null) {
      if (gateTaskQueue == null) {
        throw new IllegalArgumentException("a gate needs --gate-task-queue");
      }
      gateInput();
    }
    FailureRule rule =
        maxFailures == null && maxFailureRate == null
            ? FailureRule.STRICT
            : new FailureRule(
                maxFailureRate == null ? OptionalDouble.empty() : OptionalDouble.of(maxFailureRate),
                maxFailures == null ? OptionalLong.empty() : OptionalLong.of(maxFailures),
                minRuns);
    return new Release(
        deployment,
        buildId,
        image,
        desired,
        RampStep.parse(steps),
        Optional.ofNullable(gateWorkflow),
        Optional.ofNullable(stepGate),
        rule,
        Durations.parse("--pollers-timeout", pollersTimeout),
        Durations.parse("--gate-timeout", gateTimeout),
        Durations.parse("--rollback-window", rollbackWindow));
  }

  JsonNode gateInput() {
    try {
      return new ObjectMapper().readTree(gateInput);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("--gate-input " + gateInput + ": not JSON");
    }
  }
}
