package io.drainhost.metrics;

/**
 * Every meter name of drainhost in one place. Dotted Micrometer names; the Prometheus registry adds
 * the unit and {@code _total} suffixes (so {@code drainhost.handoffs} is exported as {@code
 * drainhost_handoffs_total}).
 */
public final class MeterNames {
  public static final String INFLIGHT = "drainhost.inflight";
  public static final String DRAINING = "drainhost.draining";
  public static final String HANDOFFS = "drainhost.handoffs";
  public static final String HANDOFF_RETRIES = "drainhost.handoff.retries";
  public static final String UNAUTHORIZED = "drainhost.http.unauthorized";
  public static final String DRAIN = "drainhost.drain";
  public static final String TEMPORAL_CONNECTED = "drainhost.temporal.connected";
  public static final String TEMPORAL_RECONNECT_ATTEMPTS = "drainhost.temporal.reconnect.attempts";
  public static final String TEMPORAL_THROTTLED = "drainhost.temporal.throttled";
  public static final String TEMPORAL_CONNECTION_FAILURES =
      "drainhost.temporal.connection.failures";
  public static final String EXECUTIONS_STARTED = "drainhost.executions.started";
  public static final String EXECUTIONS_REJECTED = "drainhost.executions.rejected";
  public static final String POLLING_SUSPENDED = "drainhost.polling.suspended";
  public static final String SCHEDULE_MISSED_FIRES = "drainhost.schedule.missed.fires";
  public static final String SCHEDULE_OVERDUE = "drainhost.schedule.overdue";
  public static final String SCHEDULE_LAST_SUCCESS = "drainhost.schedule.last.success.seconds";

  /** The contract's name: {@code drainhost_deployment_version{deployment,build_id,status}}. */
  public static final String DEPLOYMENT_VERSION = "drainhost.deployment.version";

  public static final String REPLAY_CHECKED = "drainhost.replay.checked";
  public static final String REPLAY_FAILURES = "drainhost.replay.failures";
  public static final String REPLAY_DURATION = "drainhost.replay.duration";
  public static final String REPLAY_STATE = "drainhost.replay.state";
  public static final String SCALE_IN_PROTECTION = "drainhost.scale.in.protection";
  public static final String SCALE_IN_PROTECTION_ERRORS = "drainhost.scale.in.protection.errors";
  public static final String TASK_QUEUE_BACKLOG = "drainhost.task.queue.backlog";
  public static final String TASK_QUEUE_BACKLOG_AGE = "drainhost.task.queue.backlog.age.seconds";
  public static final String TASK_QUEUE_ADD_RATE = "drainhost.task.queue.add.rate";
  public static final String TASK_QUEUE_DISPATCH_RATE = "drainhost.task.queue.dispatch.rate";
  public static final String HTTP_REQUESTS = "http.server.requests";
  public static final String HTTP_WAITERS = "drainhost.http.waiters";

  private MeterNames() {}
}
