package io.drainhost.ecs;

import io.drainhost.testing.TemporalServer;

/** The ECS early-drain signals against a real Temporal server (the Temporal CLI's dev server). */
class EcsSignalsOnRealServerIT extends EcsSignalsSuite {
  @Override
  TemporalServer.Kind kind() {
    return TemporalServer.Kind.TEMPORAL_CLI;
  }
}
