package io.drainhost.deploy;

import io.drainhost.deploy.aws.TaskDefinitions;
import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.LocalHosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;

/**
 * What ECS would do with the services of the ECS API stand-in (moto runs no containers): every half
 * second, for each service of the cluster, real drainhost hosts are started or SIGTERMed until as
 * many run as the service's desired count, and one that exited is replaced, as ECS replaces a
 * stopped task; a deleted service's hosts are stopped. A host's Worker Deployment Version comes
 * from its task definition's environment, as on ECS; its code from {@code variants}, by build id.
 */
final class EcsFleet implements AutoCloseable {
  final EcsClient ecs;
  private final String cluster;
  private final int temporalPort;
  private final String taskQueue;
  private final Map<String, String> variants;
  private final Map<String, List<ChildProcess>> hosts = new ConcurrentHashMap<>();
  private final List<ChildProcess> stopped = new ArrayList<>();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, Map<String, String>> versions = new ConcurrentHashMap<>();
  private final Map<String, Integer> started = new ConcurrentHashMap<>();
  private final Map<String, List<String>> commands = new ConcurrentHashMap<>();
  private volatile Map<String, String> controllerEnv;

  EcsFleet(
      EcsClient ecs,
      String cluster,
      int temporalPort,
      String taskQueue,
      Map<String, String> variants) {
    this.ecs = ecs;
    this.cluster = cluster;
    this.temporalPort = temporalPort;
    this.taskQueue = taskQueue;
    this.variants = variants;
    loop.scheduleWithFixedDelay(this::reconcile, 0, 500, TimeUnit.MILLISECONDS);
  }

  String cluster() {
    return cluster;
  }

  /**
   * A task whose container runs {@code controller} is drainhost-deploy's controller, as ECS would
   * run the image: the tool's jar with this environment (its AWS credentials stand for the task
   * role, which moto does not hand out).
   */
  EcsFleet runningControllersWith(Map<String, String> env) {
    controllerEnv = env;
    return this;
  }

  /** The hosts of a service now. */
  List<ChildProcess> hostsOf(String service) {
    return List.copyOf(hosts.getOrDefault(service, List.of()));
  }

  private synchronized void reconcile() {
    try {
      List<String> arns = ecs.listServices(b -> b.cluster(cluster)).serviceArns();
      Map<String, Service> byName = new HashMap<>();
      if (!arns.isEmpty()) {
        for (Service s :
            ecs.describeServices(
                    DescribeServicesRequest.builder()
                        .cluster(cluster)
                        .services(arns)
                        .include(ServiceField.TAGS)
                        .build())
                .services()) {
          byName.put(s.serviceName(), s);
        }
      }
      for (String name : List.copyOf(hosts.keySet())) {
        Service s = byName.get(name);
        if (s == null || !"ACTIVE".equals(s.status())) {
          scale(name, null, 0);
        }
      }
      byName.forEach(
          (name, s) -> {
            if ("ACTIVE".equals(s.status())) {
              scale(name, s, s.desiredCount());
            }
          });
    } catch (RuntimeException e) {
      // the next lap tries again
    }
  }

  private void scale(String name, Service s, int desired) {
    List<ChildProcess> running = hosts.computeIfAbsent(name, n -> new ArrayList<>());
    running.removeIf(h -> !h.alive());
    while (running.size() > desired) {
      ChildProcess h = running.remove(running.size() - 1);
      h.signal("TERM");
      stopped.add(h);
    }
    while (running.size() < desired && s != null) {
      if (commandOf(s).equals(List.of("controller")) && controllerEnv != null) {
        Map<String, String> env = new HashMap<>(controllerEnv);
        env.putAll(versionOf(s));
        env.put("DRAINHOST_PORT", "0");
        env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort);
        running.add(
            ChildProcess.startJar(
                ChildProcess.locate("drainhost-deploy.jar", "drainhost-deploy.jar"),
                name + "-" + (running.size() + 1),
                env,
                "controller"));
        started.merge(name, 1, Integer::sum);
        continue;
      }
      Map<String, String> version = versionOf(s);
      String buildId = version.getOrDefault(TaskDefinitions.BUILD_ID_VARIABLE, "");
      Map<String, String> env = new HashMap<>();
      env.put(
          TaskDefinitions.DEPLOYMENT_VARIABLE,
          version.getOrDefault(TaskDefinitions.DEPLOYMENT_VARIABLE, ""));
      env.put(TaskDefinitions.BUILD_ID_VARIABLE, buildId);
      // The namespace its task definition gives it, as ECS would (the address is this server's).
      if (version.containsKey("TEMPORAL_NAMESPACE")) {
        env.put("TEMPORAL_NAMESPACE", version.get("TEMPORAL_NAMESPACE"));
      }
      env.put("DRAINHOST_SAMPLES_VARIANT", variants.getOrDefault(buildId, "v1"));
      env.put("DRAINHOST_TEMPORAL_CHECK_INTERVAL", "500ms");
      env.put("DRAINHOST_SHUTDOWN_TIMEOUT", "5s");
      env.put("DRAINHOST_STOP_TIMEOUT", "10s");
      running.add(
          ChildProcess.start(
              name + "-" + (running.size() + 1), LocalHosts.hostEnv(temporalPort, taskQueue, env)));
      started.merge(name, 1, Integer::sum);
    }
  }

  /** The deployment name and build id a service's task definition gives its container. */
  private Map<String, String> versionOf(Service s) {
    return versions.computeIfAbsent(
        s.taskDefinition(),
        arn -> {
          Map<String, String> env = new HashMap<>();
          ecs.describeTaskDefinition(b -> b.taskDefinition(arn))
              .taskDefinition()
              .containerDefinitions()
              .forEach(c -> c.environment().forEach(e -> env.put(e.name(), e.value())));
          return env;
        });
  }

  /** The container's command in the service's task definition. */
  private List<String> commandOf(Service s) {
    return commands.computeIfAbsent(
        s.taskDefinition(),
        arn ->
            ecs.describeTaskDefinition(b -> b.taskDefinition(arn))
                .taskDefinition()
                .containerDefinitions()
                .get(0)
                .command());
  }

  /** How many hosts were ever started for the service (a refused build's are replaced). */
  int startedFor(String service) {
    return started.getOrDefault(service, 0);
  }

  /**
   * Exit codes of every host stopped so far that had started (a JVM SIGTERMed before its host
   * installed its handlers is ended by the JVM itself, 143, with nothing to drain), waiting for
   * each.
   */
  synchronized List<Integer> stoppedExitCodes() {
    List<Integer> codes = new ArrayList<>();
    for (ChildProcess h : stopped) {
      int code = h.awaitExit(Duration.ofSeconds(30));
      if (h.output().contains("http listening")) {
        codes.add(code);
      }
    }
    return codes;
  }

  @Override
  public void close() {
    loop.shutdownNow();
    hosts.values().forEach(l -> l.forEach(ChildProcess::close));
    stopped.forEach(ChildProcess::close);
    ecs.close();
  }
}
