package io.drainhost.bench;

import io.drainhost.testing.TemporalServer;

/** The rolling-deployment drill against a real Temporal server (the Temporal CLI's dev server). */
class DrillOnRealServerIT extends DrillSuite {
  @Override
  TemporalServer.Kind kind() {
    return TemporalServer.Kind.TEMPORAL_CLI;
  }
}
