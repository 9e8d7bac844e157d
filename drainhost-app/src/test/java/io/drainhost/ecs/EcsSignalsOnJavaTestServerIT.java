package io.drainhost.ecs;

import io.drainhost.testing.TemporalServer;

/** The ECS early-drain signals against the SDK's Java test server. */
class EcsSignalsOnJavaTestServerIT extends EcsSignalsSuite {
  @Override
  TemporalServer.Kind kind() {
    return TemporalServer.Kind.JAVA_TEST_SERVER;
  }
}
