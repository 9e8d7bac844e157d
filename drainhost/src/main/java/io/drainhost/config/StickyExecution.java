package io.drainhost.config;

/**
 * Whether workflow tasks may be routed to this host's sticky queue. {@code AUTO} turns it off when
 * the server is the SDK's Java test server (embedded or {@code dev-server}), which never re-routes
 * a dead worker's sticky queue, and keeps the SDK default otherwise.
 */
public enum StickyExecution {
  AUTO,
  ON,
  OFF
}
