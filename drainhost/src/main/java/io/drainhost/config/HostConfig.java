package io.drainhost.config;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The whole configuration of one host, parsed and validated once at startup by {@link
 * ConfigLoader}. Immutable; every duration is a {@link Duration}. Its builder ({@link
 * #toBuilder()}) and one {@code withX} method per component are generated from the components at
 * compile time, so a new setting is added here, in {@link ConfigLoader} and in the README, and
 * nowhere else.
 *
 * @param port HTTP port; 0 picks a free one (tests)
 * @param managementPort when present, /metrics and /inflight are served there only
 * @param shutdownTimeout how long a drain waits for in-flight work before handing it off
 * @param stopTimeout the ECS {@code stopTimeout}: SIGTERM to SIGKILL
 * @param handoffMargin time kept after the shutdown timeout for hand-off, HTTP stop and exit
 * @param ecsMetadataUri the task metadata endpoint; empty means no watcher
 * @param lbSilenceAfter empty means load-balancer-silence detection is off
 * @param temporalCheckInterval how often the Temporal connection is checked while connected
 * @param temporalBackoffMax cap of the reconnect backoff while disconnected
 * @param requestTimeout longest time an HTTP request waits on one Temporal call
 * @param maxWaiters {@code GET /executions/{id}?wait=} requests held at once; past it, 503
 * @param readinessRequiresTemporal whether {@code /health} fails while Temporal is unreachable
 * @param slots each worker's slot limits, unless the builder sets a worker's own
 * @param drainPolicies what a drain does with each activity type's attempts
 * @param workflowIdReuse whether a start may reuse the id of a closed execution
 * @param apiToken when present, /executions and /schedules require it as a bearer token
 * @param schedulesFile {@code DRAINHOST_SCHEDULES}: a file of the Temporal Schedules this host
 *     declares, read when the host is built (its declarations are checked against the registered
 *     workflow types there)
 * @param replay the histories replayed before the first poll, and what a failure does
 * @param versioning the Worker Deployment Version this host's workers join, if any
 * @param fleet scale-in protection and backlog metrics: what the host does for its fleet
 */
@RecordBuilder
public record HostConfig(
    int port,
    Optional<Integer> managementPort,
    String bind,
    String taskQueue,
    Duration shutdownTimeout,
    Duration stopTimeout,
    Duration handoffMargin,
    long maxBodyBytes,
    LogFormat logFormat,
    Optional<URI> ecsMetadataUri,
    Duration ecsMetadataPoll,
    Optional<Duration> lbSilenceAfter,
    StickyExecution stickyExecution,
    Duration temporalCheckInterval,
    Duration temporalBackoffMax,
    Duration requestTimeout,
    int maxWaiters,
    boolean readinessRequiresTemporal,
    SlotLimits slots,
    DrainPolicies drainPolicies,
    WorkflowIdReuse workflowIdReuse,
    Optional<ApiToken> apiToken,
    Optional<Path> schedulesFile,
    ReplaySettings replay,
    Versioning versioning,
    FleetSettings fleet,
    TemporalTarget temporal)
    implements HostConfigBuilder.With {

  /** The configuration of a host with every default, for tests and for users' own mains. */
  public static HostConfig defaults() {
    return ConfigLoader.load(java.util.Map.of());
  }

  /**
   * A builder that starts from this configuration: {@code config.toBuilder().port(0).build()}. For
   * one component, the generated {@code withPort(0)} and its siblings say the same in fewer words.
   */
  public HostConfigBuilder toBuilder() {
    return HostConfigBuilder.builder(this);
  }
}
