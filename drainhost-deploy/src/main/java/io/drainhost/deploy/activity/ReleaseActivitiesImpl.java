package io.drainhost.deploy.activity;

import io.drainhost.deploy.Connections;
import io.drainhost.deploy.Parts;
import io.drainhost.deploy.act.Actor;
import io.drainhost.deploy.plan.Release;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The release's activities in a worker: its own connections to Temporal (the namespace the workflow
 * runs in) and AWS (its credentials: the deploy role), one set per deployment, kept.
 */
public final class ReleaseActivitiesImpl implements ReleaseActivities, AutoCloseable {
  private final String address;
  private final String namespace;
  private final Map<String, Parts> parts = new ConcurrentHashMap<>();
  private final java.util.Set<Parts> borrowed = ConcurrentHashMap.newKeySet();

  /**
   * @param address Temporal's address, null for the worker's environment configuration
   * @param namespace the namespace, null for the worker's environment configuration
   */
  public ReleaseActivitiesImpl(String address, String namespace) {
    this.address = address;
    this.namespace = namespace;
  }

  /**
   * Uses the command's own connections for its deployment (a local worker: the command is connected
   * already), and leaves closing them to the command.
   */
  public ReleaseActivitiesImpl sharing(Parts commands) {
    parts.put(key(commands.connections()), commands);
    borrowed.add(commands);
    return this;
  }

  private static String key(Connections c) {
    return c.cluster + "/" + c.deployment;
  }

  @Override
  public Pass observe(
      String cluster, String deployment, Optional<Release> release, Actor.Sources sources) {
    Connections c = Connections.of(deployment, cluster, address, namespace);
    try (Heartbeat beat = Heartbeat.during(Activity.getExecutionContext())) {
      return CreationCheck.pass(parts(c), release, sources);
    } catch (RuntimeException e) {
      throw ActivityFailures.of(e, c.temporalScope(), List.of());
    }
  }

  @Override
  public Acted act(ActRequest q) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    if (context.getInfo().getAttempt() > 1) {
      // The first attempt's worker stopped mid-plan: what it did is observed again, never redone
      // from a stale plan (a routing change would carry an old conflict token, a service exists).
      return new Acted(
          List.of("  acting on the plan was interrupted (its worker stopped): observing again"),
          Optional.of("acting on the plan was interrupted, attempt after attempt"));
    }
    Connections c = Connections.of(q.deployment(), q.cluster(), address, namespace);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    try (Heartbeat beat = Heartbeat.during(context)) {
      Parts p = parts(c);
      new Actor(
              q.deployment(),
              p.temporal(),
              p.client(),
              p.ecs(),
              p.taskDefinitions(),
              p.scaling(),
              q.sources(),
              p.observer(),
              q.idle(),
              out)
          .act(q.plan(), q.observed());
      return new Acted(lines(printed), Optional.empty());
    } catch (RuntimeException e) {
      io.temporal.failure.ApplicationFailure f =
          ActivityFailures.of(e, c.temporalScope(), lines(printed));
      if (f.isNonRetryable()) {
        throw f;
      }
      return new Acted(lines(printed), Optional.of(f.getOriginalMessage()));
    }
  }

  @Override
  public Optional<String> scheduleSunset(String cluster, String deployment) {
    Connections c = Connections.of(deployment, cluster, address, namespace);
    try {
      return SunsetSchedule.ensure(parts(c), SunsetSchedule.Every.DEFAULT, false);
    } catch (RuntimeException e) {
      throw ActivityFailures.of(e, c.temporalScope(), List.of());
    }
  }

  private Parts parts(Connections c) {
    return parts.computeIfAbsent(key(c), k -> Parts.open(c));
  }

  private static List<String> lines(ByteArrayOutputStream printed) {
    String s = printed.toString(StandardCharsets.UTF_8);
    return s.isEmpty() ? List.of() : List.of(s.split("\n"));
  }

  @Override
  public void close() {
    parts.values().stream().filter(p -> !borrowed.contains(p)).forEach(Parts::close);
    parts.clear();
  }
}
