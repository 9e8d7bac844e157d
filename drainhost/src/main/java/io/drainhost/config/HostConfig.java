package io.drainhost.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The whole configuration of one host, parsed and validated once at startup by {@link
 * ConfigLoader}. Immutable; every duration is a {@link Duration}.
 *
 * @param port HTTP port; 0 picks a free one (tests)
 * @param shutdownTimeout how long a drain waits for in-flight work before handing it off
 * @param stopTimeout the ECS {@code stopTimeout}: SIGTERM to SIGKILL
 * @param handoffMargin time kept after the shutdown timeout for hand-off, HTTP stop and exit
 * @param ecsMetadataUri the task metadata endpoint; empty means no watcher
 * @param lbSilenceAfter empty means load-balancer-silence detection is off
 * @param temporalCheckInterval how often the Temporal connection is checked while connected
 * @param temporalBackoffMax cap of the reconnect backoff while disconnected
 * @param requestTimeout longest time an HTTP request waits on one Temporal call
 * @param readinessRequiresTemporal whether {@code /health} fails while Temporal is unreachable
 * @param slots each worker's slot limits, unless the builder sets a worker's own
 * @param drainPolicies what a drain does with each activity type's attempts
 * @param workflowIdReuse whether a start may reuse the id of a closed execution
 * @param apiToken when present, /executions and /schedules require it as a bearer token
 */
public record HostConfig(
    int port,
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
    boolean readinessRequiresTemporal,
    SlotLimits slots,
    DrainPolicies drainPolicies,
    WorkflowIdReuse workflowIdReuse,
    Optional<ApiToken> apiToken,
    TemporalTarget temporal) {

  /** The configuration of a host with every default, for tests and for users' own mains. */
  public static HostConfig defaults() {
    return ConfigLoader.load(java.util.Map.of());
  }

  public HostConfig withPort(int newPort) {
    return new HostConfig(
        newPort,
        bind,
        taskQueue,
        shutdownTimeout,
        stopTimeout,
        handoffMargin,
        maxBodyBytes,
        logFormat,
        ecsMetadataUri,
        ecsMetadataPoll,
        lbSilenceAfter,
        stickyExecution,
        temporalCheckInterval,
        temporalBackoffMax,
        requestTimeout,
        readinessRequiresTemporal,
        slots,
        drainPolicies,
        workflowIdReuse,
        apiToken,
        temporal);
  }

  public HostConfig withTaskQueue(String newTaskQueue) {
    return new HostConfig(
        port,
        bind,
        newTaskQueue,
        shutdownTimeout,
        stopTimeout,
        handoffMargin,
        maxBodyBytes,
        logFormat,
        ecsMetadataUri,
        ecsMetadataPoll,
        lbSilenceAfter,
        stickyExecution,
        temporalCheckInterval,
        temporalBackoffMax,
        requestTimeout,
        readinessRequiresTemporal,
        slots,
        drainPolicies,
        workflowIdReuse,
        apiToken,
        temporal);
  }

  public HostConfig withDrainPolicies(DrainPolicies newPolicies) {
    return new HostConfig(
        port,
        bind,
        taskQueue,
        shutdownTimeout,
        stopTimeout,
        handoffMargin,
        maxBodyBytes,
        logFormat,
        ecsMetadataUri,
        ecsMetadataPoll,
        lbSilenceAfter,
        stickyExecution,
        temporalCheckInterval,
        temporalBackoffMax,
        requestTimeout,
        readinessRequiresTemporal,
        slots,
        newPolicies,
        workflowIdReuse,
        apiToken,
        temporal);
  }
}
