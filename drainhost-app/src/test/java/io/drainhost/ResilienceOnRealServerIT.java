package io.drainhost;

import io.drainhost.testing.TemporalServer;

/** The resilience suite against a real Temporal server (the Temporal CLI's dev server). */
class ResilienceOnRealServerIT extends ResilienceSuite {
  @Override
  TemporalServer.Kind kind() {
    return TemporalServer.Kind.TEMPORAL_CLI;
  }
}
