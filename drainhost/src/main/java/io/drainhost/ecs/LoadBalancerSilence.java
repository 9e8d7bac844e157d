package io.drainhost.ecs;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides when the load balancer has gone quiet. An ALB stops health-checking a target it has
 * deregistered, minutes before ECS sends SIGTERM (the deregistration delay); once this host has
 * seen the ALB's checks, a silence of {@code silenceAfter} means it is on its way out, so polling
 * is suspended and running work finishes before the SIGTERM. Checks that come back resume it. Pure
 * logic over the times it is given; {@link LoadBalancerSilenceWatcher} drives it.
 */
public final class LoadBalancerSilence {
  /** What the host should do after an observation. */
  public enum Action {
    NONE,
    SUSPEND,
    RESUME
  }

  /** The ALB's health checks send this user agent, e.g. {@code ELB-HealthChecker/2.0}. */
  public static final String USER_AGENT_PREFIX = "ELB-HealthChecker/";

  private final Duration silenceAfter;
  private Instant lastCheck;
  private boolean suspended;

  public LoadBalancerSilence(Duration silenceAfter) {
    this.silenceAfter = silenceAfter;
  }

  public static boolean isLoadBalancerCheck(String userAgent) {
    return userAgent != null && userAgent.startsWith(USER_AGENT_PREFIX);
  }

  /** A load-balancer health check arrived at {@code now}. */
  public synchronized Action checkSeen(Instant now) {
    lastCheck = now;
    if (suspended) {
      suspended = false;
      return Action.RESUME;
    }
    return Action.NONE;
  }

  /** Called on a schedule: suspends once the checks have been silent long enough. */
  public synchronized Action evaluate(Instant now) {
    if (lastCheck == null || suspended) {
      return Action.NONE;
    }
    if (Duration.between(lastCheck, now).compareTo(silenceAfter) > 0) {
      suspended = true;
      return Action.SUSPEND;
    }
    return Action.NONE;
  }

  public synchronized boolean suspended() {
    return suspended;
  }

  public synchronized Instant lastCheck() {
    return lastCheck;
  }
}
