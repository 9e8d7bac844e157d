package io.drainhost.replay;

import io.drainhost.testing.TemporalServer;

/** The replay gate against a real Temporal server (visibility queries). */
class ReplayGateOnRealServerIT extends ReplayGateSuite {
  @Override
  TemporalServer.Kind kind() {
    return TemporalServer.Kind.TEMPORAL_CLI;
  }
}
