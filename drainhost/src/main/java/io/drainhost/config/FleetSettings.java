package io.drainhost.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * What a host does for the fleet it is part of: ECS task scale-in protection while it runs long
 * work, and the task queues' backlog as CloudWatch metrics for the service's autoscaling.
 *
 * @param protection {@code DRAINHOST_SCALE_IN_PROTECTION}
 * @param protectionMax {@code DRAINHOST_SCALE_IN_PROTECTION_MAX}: the longest stretch of
 *     protection, after which the host lets ECS stop it again even if long work still runs
 * @param ecsAgentUri {@code ECS_AGENT_URI}, set by the ECS agent; protection needs it
 * @param backlogInterval {@code DRAINHOST_BACKLOG_INTERVAL}: how often the task queues' backlog is
 *     read from Temporal; empty ({@code off}) for never
 * @param emf {@code DRAINHOST_EMF}: backlog metrics also as Embedded Metric Format lines on stdout
 */
public record FleetSettings(
    Protection protection,
    Duration protectionMax,
    Optional<URI> ecsAgentUri,
    Optional<Duration> backlogInterval,
    boolean emf) {
  /** The longest protection ECS accepts in one request (2 days). */
  public static final Duration PROTECTION_MAX_LIMIT = Duration.ofMinutes(2880);

  /** What earns a task scale-in protection. */
  public enum Protection {
    /** Never: scale-in and deployments stop this task like any other, and the drain hands off. */
    OFF,
    /** While an activity attempt runs that would not fit a drain (the drain policy's judgement). */
    LONG_WORK;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** True when protection is asked for and the ECS agent can be reached to set it. */
  public boolean protectionActive() {
    return protection == Protection.LONG_WORK && ecsAgentUri.isPresent();
  }
}
