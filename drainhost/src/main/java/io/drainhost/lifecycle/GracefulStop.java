package io.drainhost.lifecycle;

import java.time.Duration;

/**
 * What the drain needs of the HTTP servers: a stop that lets requests in progress finish within
 * {@code timeout}. An interface so that the drain does not depend on how HTTP is served.
 */
public interface GracefulStop {
  void stop(Duration timeout);
}
