package io.drainhost;

import io.drainhost.testing.TemporalServer;

/** The resilience suite against the SDK's Java test server. */
class ResilienceOnJavaTestServerIT extends ResilienceSuite {
  @Override
  TemporalServer.Kind kind() {
    return TemporalServer.Kind.JAVA_TEST_SERVER;
  }
}
