package io.drainhost.deploy.check;

import io.drainhost.deploy.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What drainhost needs of a deployment's ECS settings, as findings: each names the field and why. A
 * pure function of the settings; {@code check} prints it, {@code deploy} refuses on an error before
 * it creates anything.
 */
public final class Checks {
  /** ECS's default stop timeout, and Fargate's largest. */
  static final int ECS_DEFAULT_STOP_TIMEOUT = 30;

  static final int FARGATE_MAX_STOP_TIMEOUT = 120;

  /** The ALB's defaults for a target group's health check, and its deregistration delay. */
  static final int ALB_DEFAULT_INTERVAL = 30;

  static final int ALB_DEFAULT_HEALTHY_THRESHOLD = 5;
  static final int ALB_DEFAULT_DEREGISTRATION_DELAY = 300;

  /** A JVM's start to its first answer: what the grace period must cover besides the gate. */
  static final int JVM_START_SECONDS = 5;

  private Checks() {}

  public static List<Finding> check(Settings s) {
    List<Finding> findings = new ArrayList<>();
    String c = "containerDefinitions[" + s.container() + "]";
    Duration shutdown = duration(s, "DRAINHOST_SHUTDOWN_TIMEOUT", "25s", findings);
    Duration stopSetting = duration(s, "DRAINHOST_STOP_TIMEOUT", "30s", findings);
    Duration margin = duration(s, "DRAINHOST_HANDOFF_MARGIN", "3s", findings);
    Duration replayTimeout = duration(s, "DRAINHOST_REPLAY_TIMEOUT", "30s", findings);
    boolean gateOn =
        !s.environment().getOrDefault("DRAINHOST_REPLAY_GATE", "enforce").trim().equals("off");

    int stop = s.stopTimeout().orElse(ECS_DEFAULT_STOP_TIMEOUT);
    String stopField = c + ".stopTimeout";
    if (stop > FARGATE_MAX_STOP_TIMEOUT) {
      findings.add(
          Finding.error(
              stopField, stop + " s is above Fargate's 120 s: ECS SIGKILLs at 120 s, mid-drain"));
    } else if (stopSetting.toSeconds() != stop) {
      findings.add(
          Finding.error(
              stopField,
              "ECS SIGKILLs "
                  + stop
                  + " s after SIGTERM"
                  + (s.stopTimeout().isEmpty() ? " (its default)" : "")
                  + ", but DRAINHOST_STOP_TIMEOUT is "
                  + stopSetting.toSeconds()
                  + " s: the drain plans for the wrong deadline; make them equal"));
    } else if (shutdown.plus(margin).toSeconds() > stop) {
      findings.add(
          Finding.error(
              stopField,
              "DRAINHOST_SHUTDOWN_TIMEOUT "
                  + shutdown.toSeconds()
                  + " s + DRAINHOST_HANDOFF_MARGIN "
                  + margin.toSeconds()
                  + " s do not fit the "
                  + stop
                  + " s stop timeout: the host refuses to start (exit 2)"));
    } else {
      findings.add(
          Finding.ok(
              stopField,
              stop
                  + " s, as DRAINHOST_STOP_TIMEOUT: a drain of up to "
                  + shutdown.toSeconds()
                  + " s + "
                  + margin.toSeconds()
                  + " s margin fits"));
    }

    String initField = c + ".linuxParameters.initProcessEnabled";
    if (s.initProcessEnabled()) {
      findings.add(Finding.ok(initField, "an init forwards SIGTERM to the JVM"));
    } else if (shellForm(s.entryPoint())) {
      findings.add(
          Finding.error(
              c + ".entryPoint",
              String.join(" ", s.entryPoint())
                  + ": a shell as PID 1 does not pass SIGTERM on; the JVM is SIGKILLed at the stop"
                  + " timeout, mid-work. Use an exec-form entry point, or initProcessEnabled"));
    } else if (s.entryPoint().isEmpty()) {
      findings.add(
          Finding.warning(
              initField,
              "off, and no entryPoint: the image's ENTRYPOINT must be exec form ([\"java\", …], as"
                  + " drainhost's Dockerfile has it) or SIGTERM never reaches the JVM; turn it on"
                  + " to be sure"));
    } else {
      findings.add(Finding.ok(c + ".entryPoint", "exec form: the JVM gets SIGTERM"));
    }

    String hcField = c + ".healthCheck.command";
    String command = String.join(" ", s.healthCheckCommand());
    if (s.healthCheckCommand().isEmpty()) {
      findings.add(
          Finding.ok(hcField, "none: ECS relies on the load balancer's check, which is fine"));
    } else if (command.contains("/health/live")) {
      findings.add(Finding.ok(hcField, "liveness (/health/live): 200 while busy or draining"));
    } else if (command.matches("(?s).*/health(?![/\\w]).*")) {
      findings.add(
          Finding.error(
              hcField,
              "probes readiness (/health), which is 503 while a task drains or starts: ECS would"
                  + " replace every draining task, the loss drainhost prevents; probe"
                  + " /health/live"));
    } else {
      findings.add(
          Finding.warning(
              hcField, "probes neither /health/live nor /health: make sure it is liveness"));
    }
    if (!s.healthCheckCommand().isEmpty() && s.healthCheckStartPeriod().orElse(0) < 10) {
      findings.add(
          Finding.warning(
              c + ".healthCheck.startPeriod",
              s.healthCheckStartPeriod().orElse(0)
                  + " s: a JVM takes seconds to answer; give the liveness check at least 10 s"));
    }

    if (!s.loadBalanced()) {
      findings.add(
          Finding.warning(
              "service.loadBalancers",
              "none: no target group routes to the tasks, so nothing of the load balancer was"
                  + " checked"));
    } else {
      targetGroup(s, findings, gateOn, replayTimeout, shutdown, stop);
    }

    int minHealthy = s.minimumHealthyPercent().orElse(100);
    String mhField = "service.deploymentConfiguration.minimumHealthyPercent";
    if (minHealthy < 100) {
      findings.add(
          Finding.warning(
              mhField,
              minHealthy
                  + ": an in-place deployment stops old tasks before new ones are healthy; with"
                  + " long work, more tasks hand back at once, against one namespace's rate limit;"
                  + " keep 100 (maximumPercent 200)"));
    } else {
      findings.add(Finding.ok(mhField, minHealthy + ": old tasks stop only once new ones serve"));
    }
    return findings;
  }

  private static void targetGroup(
      Settings s,
      List<Finding> findings,
      boolean gateOn,
      Duration replayTimeout,
      Duration shutdown,
      int stop) {
    String path = s.targetGroupHealthCheckPath().orElse("");
    String pathField = "targetGroup.HealthCheckPath";
    if (s.targetGroupHealthCheckPath().isEmpty()) {
      findings.add(Finding.warning(pathField, "not known: the target group could not be read"));
    } else if (path.equals("/health")) {
      findings.add(Finding.ok(pathField, "/health: readiness, 503 while starting and draining"));
    } else if (path.startsWith("/health/live")) {
      findings.add(
          Finding.error(
              pathField,
              path
                  + " is liveness, 200 while draining: the load balancer keeps routing to a task"
                  + " that is leaving, and to one whose replay gate is still deciding; use"
                  + " /health"));
    } else {
      findings.add(
          Finding.error(
              pathField,
              path + ": not drainhost's readiness; use /health (503 while starting and draining)"));
    }

    int interval = s.targetGroupHealthCheckInterval().orElse(ALB_DEFAULT_INTERVAL);
    int healthy = s.targetGroupHealthyThreshold().orElse(ALB_DEFAULT_HEALTHY_THRESHOLD);
    long needed =
        JVM_START_SECONDS + (gateOn ? replayTimeout.toSeconds() : 0) + (long) healthy * interval;
    int grace = s.healthCheckGracePeriod().orElse(0);
    String graceField = "service.healthCheckGracePeriodSeconds";
    String covers =
        "the start ("
            + JVM_START_SECONDS
            + " s)"
            + (gateOn
                ? ", the replay gate (DRAINHOST_REPLAY_TIMEOUT " + replayTimeout.toSeconds() + " s)"
                : "")
            + " and "
            + healthy
            + " healthy checks "
            + interval
            + " s apart: "
            + needed
            + " s";
    if (grace < needed) {
      findings.add(
          Finding.error(
              graceField,
              grace
                  + " s is shorter than "
                  + covers
                  + (gateOn
                      ? ": ECS would replace new tasks that are still checking their build"
                      : ": ECS would replace new tasks that are still starting")));
    } else {
      findings.add(Finding.ok(graceField, grace + " s covers " + covers));
    }

    int delay = s.deregistrationDelay().orElse(ALB_DEFAULT_DEREGISTRATION_DELAY);
    String delayField = "targetGroup.deregistration_delay.timeout_seconds";
    String silence = s.environment().getOrDefault("DRAINHOST_LB_SILENCE_AFTER", "off").trim();
    if (!silence.equals("off")) {
      Duration after = Durations.parse("DRAINHOST_LB_SILENCE_AFTER", silence);
      long wanted = after.toSeconds() + shutdown.toSeconds();
      if (delay < wanted) {
        findings.add(
            Finding.warning(
                delayField,
                delay
                    + " s: ECS sends SIGTERM before the host notices the load balancer's silence"
                    + " (DRAINHOST_LB_SILENCE_AFTER "
                    + after.toSeconds()
                    + " s) and finishes its work (shutdown timeout "
                    + shutdown.toSeconds()
                    + " s): make it at least "
                    + wanted
                    + " s"));
      } else {
        findings.add(
            Finding.ok(
                delayField,
                delay
                    + " s: the host notices the silence after "
                    + after.toSeconds()
                    + " s and finishes its work before SIGTERM"));
      }
    } else if (delay < stop) {
      findings.add(
          Finding.warning(
              delayField,
              delay
                  + " s is shorter than the stop timeout ("
                  + stop
                  + " s): requests still in flight at deregistration (a GET …?wait= holds up to"
                  + " 60 s) are cut before the drain would end them; make it at least "
                  + stop
                  + " s"));
    } else {
      findings.add(Finding.ok(delayField, delay + " s: requests in flight finish before SIGTERM"));
    }
  }

  private static boolean shellForm(List<String> entryPoint) {
    if (entryPoint.isEmpty()) {
      return false;
    }
    String first = entryPoint.get(0);
    String name = first.substring(first.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    return name.equals("sh") || name.equals("bash") || name.equals("dash");
  }

  private static Duration duration(
      Settings s, String name, String fallback, List<Finding> findings) {
    String v = s.environment().getOrDefault(name, fallback);
    try {
      return Durations.parse(name, v);
    } catch (RuntimeException e) {
      findings.add(Finding.error("environment." + name, v + ": not a duration the host accepts"));
      return Durations.parse(name, fallback);
    }
  }

  /**
   * What the account must give a release before anything is created: a network for an awsvpc task,
   * the load balancer the settings name, roles that exist.
   */
  public static List<Finding> account(Account a) {
    List<Finding> findings = new ArrayList<>();
    String mode = a.networkMode().orElse("bridge");
    if (mode.equals("awsvpc") && !a.networkConfigured()) {
      findings.add(
          Finding.error(
              "service.networkConfiguration",
              "the task definition's networkMode is awsvpc and the service has no subnets: ECS"
                  + " refuses to place its tasks, and a later release would copy the gap; give"
                  + " --subnets and --security-groups"));
    } else if (mode.equals("awsvpc") && !a.securityGroupsGiven()) {
      findings.add(
          Finding.error(
              "service.networkConfiguration.awsvpcConfiguration.securityGroups",
              "none: the tasks would get the VPC's default security group; give"
                  + " --security-groups"));
    } else {
      findings.add(Finding.ok("service.networkConfiguration", mode + ": the tasks have a network"));
    }
    if (a.droppedLoadBalancer()) {
      findings.add(
          Finding.error(
              "service.loadBalancers",
              "the settings name a load balancer but no --target-group-arn was given: the service"
                  + " would get none, and nothing would route to it"));
    }
    a.tasksNamespace()
        .filter(n -> !n.equals(a.runNamespace()))
        .ifPresent(
            n ->
                findings.add(
                    Finding.error(
                        "environment.TEMPORAL_NAMESPACE",
                        n
                            + ": the tasks would poll namespace "
                            + n
                            + ", and this run watches "
                            + a.runNamespace()
                            + " for them; one of the two is a typo")));
    for (Account.Role r : a.roles()) {
      findings.add(
          r.problem()
              .map(p -> Finding.error(r.field(), r.arn() + " " + p + ": its tasks cannot start"))
              .orElseGet(() -> Finding.ok(r.field(), r.arn() + " exists")));
    }
    return findings;
  }

  /** The findings as a table, worst first. */
  public static String table(Settings s, List<Finding> findings) {
    StringBuilder out = new StringBuilder("check of " + s.source() + ":\n");
    int width = findings.stream().mapToInt(f -> f.field().length()).max().orElse(10);
    findings.stream()
        .sorted(java.util.Comparator.comparing(Finding::level).reversed())
        .forEach(
            f ->
                out.append(
                    String.format(
                        "%-7s  %-" + width + "s  %s%n", f.level(), f.field(), f.message())));
    return out.toString();
  }
}
