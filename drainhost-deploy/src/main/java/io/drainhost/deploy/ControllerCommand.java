package io.drainhost.deploy;

import io.drainhost.DrainHost;
import io.drainhost.config.ConfigException;
import io.drainhost.config.ConfigLoader;
import io.drainhost.config.HostConfig;
import io.drainhost.deploy.activity.ReleaseActivitiesImpl;
import io.drainhost.deploy.workflow.ReleaseWorkflow;
import io.drainhost.deploy.workflow.ReleaseWorkflowImpl;
import io.drainhost.deploy.workflow.SunsetWorkflowImpl;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    description = {
      "Run the releases and the sunset schedules: a long-running worker of the tool's task queue"
          + " (drainhost-deploy), on the drainhost host (health, metrics, its own graceful drain,"
          + " and its replay gate on the running releases before it polls: a controller build"
          + " that would break a running release never takes it). Give it the deploy role; the"
          + " worker tasks never get it.",
      "Configured as a drainhost host (DRAINHOST_PORT, ...); Temporal from its environment"
          + " configuration or the flags.",
      "Exit codes: as the drainhost host's (docs/exit-codes.md)."
    })
final class ControllerCommand implements Callable<Integer> {
  @Option(names = "--address", description = "Temporal's host:port (else TEMPORAL_ADDRESS)")
  String address;

  @Option(names = "--namespace", description = "the namespace (else TEMPORAL_NAMESPACE)")
  String namespace;

  @Override
  public Integer call() {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (address != null) {
      env.put("TEMPORAL_ADDRESS", address);
    }
    if (namespace != null) {
      env.put("TEMPORAL_NAMESPACE", namespace);
    }
    if (env.getOrDefault("TEMPORAL_ADDRESS", "").isBlank()) {
      System.err.println(
          "drainhost-deploy: the controller runs the releases of a Temporal cluster: set"
              + " TEMPORAL_ADDRESS or give --address");
      return DeployException.USAGE;
    }
    env.put("DRAINHOST_TASK_QUEUE", ReleaseWorkflow.TASK_QUEUE);
    // The controller runs as the deploy role: its HTTP API must start nothing (a release started
    // there would act with that role). Without a token of the operator's, one nobody knows closes
    // /executions and /schedules (401); health and metrics stay open.
    if (env.getOrDefault("DRAINHOST_API_TOKEN", "").isEmpty()
        && env.getOrDefault("DRAINHOST_API_TOKEN_FILE", "").isEmpty()) {
      byte[] secret = new byte[32];
      new java.security.SecureRandom().nextBytes(secret);
      env.put(
          "DRAINHOST_API_TOKEN",
          java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }
    // The commands speak through their own lines on stdout; a controller is a service and logs
    // as a host (logback.xml reads these).
    System.setProperty("drainhost.rootLevel", "INFO");
    System.setProperty("drainhost.temporalLevel", "WARN");
    System.setProperty("drainhost.logTarget", "System.out");
    if (org.slf4j.LoggerFactory.getILoggerFactory()
        instanceof ch.qos.logback.classic.LoggerContext context) {
      context.reset();
      try {
        new ch.qos.logback.classic.util.ContextInitializer(context).autoConfig();
      } catch (ch.qos.logback.core.joran.spi.JoranException e) {
        System.err.println("drainhost-deploy: could not configure logging: " + e.getMessage());
      }
    }
    HostConfig config;
    try {
      config = ConfigLoader.load(env);
    } catch (ConfigException e) {
      e.problems()
          .forEach(p -> System.err.println("drainhost-deploy: invalid configuration: " + p));
      return DeployException.USAGE;
    }
    try (ReleaseActivitiesImpl activities = new ReleaseActivitiesImpl(address, namespace)) {
      return DrainHost.builder()
          .config(config)
          .registerWorkflowImplementationTypes(ReleaseWorkflowImpl.class, SunsetWorkflowImpl.class)
          .registerActivitiesImplementations(activities)
          .run();
    }
  }
}
