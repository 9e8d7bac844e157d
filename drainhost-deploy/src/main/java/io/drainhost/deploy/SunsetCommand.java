package io.drainhost.deploy;

import io.drainhost.deploy.activity.SunsetSchedule;
import io.drainhost.deploy.plan.Idle;
import io.drainhost.deploy.plan.SunsetPlanner;
import io.drainhost.deploy.time.Durations;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "sunset",
    mixinStandardHelpOptions = true,
    description = {
      "Retire old versions: drained (or inactive and never current), or releases that never"
          + " polled, for longer than --scale-down-after: autoscaling deregistered, the ECS"
          + " service scaled to 0; past --delete-after: the service and the Temporal version"
          + " deleted.",
      "Never the current or ramping version, one that drains or has open pinned runs, nor a"
          + " service Temporal cannot show idle. Safe on a schedule: --every makes it a Temporal"
          + " Schedule the controller runs.",
      DeployMain.EXIT_CODES
    })
final class SunsetCommand implements Callable<Integer> {
  @Mixin Connections connect;

  @Option(names = "--scale-down-after", defaultValue = "1h", description = "default 1h")
  String scaleDownAfter;

  @Option(names = "--delete-after", defaultValue = "24h", description = "default 24h")
  String deleteAfter;

  @Option(names = "--dry-run", description = "print the plan, change nothing")
  boolean dryRun;

  @Option(
      names = "--every",
      description =
          "instead of one pass now: run sunset on a Temporal Schedule this often (e.g. 15m), by the"
              + " controller, replacing the deployment's schedule (deploy creates one, every 15m)")
  String every;

  @Override
  public Integer call() {
    return DeployMain.guarded(
        () -> {
          Duration down = Durations.parse("--scale-down-after", scaleDownAfter);
          Duration delete = Durations.parse("--delete-after", deleteAfter);
          if (delete.compareTo(down) < 0) {
            throw new IllegalArgumentException(
                "--delete-after must not be shorter than --scale-down-after");
          }
          if (every != null) {
            Duration interval = Durations.parse("--every", every);
            if (interval.compareTo(Duration.ofMinutes(1)) < 0) {
              throw new IllegalArgumentException("--every " + every + ": at least 1m");
            }
            SunsetSchedule.Every schedule = new SunsetSchedule.Every(interval, down, delete);
            if (dryRun) {
              System.out.println(
                  "sunset (dry run: nothing changed): would schedule "
                      + SunsetSchedule.describe(connect.cluster, connect.deployment, schedule));
              return 0;
            }
            return DeployMain.connected(
                connect,
                p -> {
                  SunsetSchedule.ensure(p, schedule, true).ifPresent(System.out::println);
                  return 0;
                });
          }
          return DeployMain.connected(
              connect,
              p ->
                  DeployMain.once(
                      p,
                      "sunset",
                      o -> SunsetPlanner.plan(o, down, delete),
                      Idle.Rule.sunset(down),
                      dryRun));
        });
  }
}
