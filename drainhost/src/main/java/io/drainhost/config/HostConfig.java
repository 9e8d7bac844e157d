package io.drainhost.config;

import io.drainhost.schedules.ScheduleDeclaration;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The whole configuration of one host, parsed and validated once at startup by {@link
 * ConfigLoader}. Immutable; every duration is a {@link Duration}.
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
 * @param readinessRequiresTemporal whether {@code /health} fails while Temporal is unreachable
 * @param slots each worker's slot limits, unless the builder sets a worker's own
 * @param drainPolicies what a drain does with each activity type's attempts
 * @param workflowIdReuse whether a start may reuse the id of a closed execution
 * @param apiToken when present, /executions and /schedules require it as a bearer token
 * @param schedules the Temporal Schedules this host declares ({@code DRAINHOST_SCHEDULES})
 */
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
    boolean readinessRequiresTemporal,
    SlotLimits slots,
    DrainPolicies drainPolicies,
    WorkflowIdReuse workflowIdReuse,
    Optional<ApiToken> apiToken,
    List<ScheduleDeclaration> schedules,
    TemporalTarget temporal) {

  public HostConfig {
    schedules = List.copyOf(schedules);
  }

  /** The configuration of a host with every default, for tests and for users' own mains. */
  public static HostConfig defaults() {
    return ConfigLoader.load(java.util.Map.of());
  }

  public HostConfig withPort(int newPort) {
    return with("port", newPort);
  }

  public HostConfig withTaskQueue(String newTaskQueue) {
    return with("taskQueue", newTaskQueue);
  }

  public HostConfig withDrainPolicies(DrainPolicies newPolicies) {
    return with("drainPolicies", newPolicies);
  }

  public HostConfig withSchedules(List<ScheduleDeclaration> newSchedules) {
    return with("schedules", newSchedules);
  }

  /**
   * A copy with one component replaced. Through the record's own components, so that adding one
   * does not mean editing every with-method (it used to: each repeated all 22 arguments).
   */
  private HostConfig with(String component, Object value) {
    RecordComponent[] components = HostConfig.class.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    boolean found = false;
    try {
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        boolean replaced = components[i].getName().equals(component);
        found |= replaced;
        values[i] = replaced ? value : components[i].getAccessor().invoke(this);
      }
      if (!found) {
        throw new IllegalArgumentException("HostConfig has no component " + component);
      }
      return HostConfig.class.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy HostConfig", e);
    }
  }
}
