package io.drainhost.bench;

import io.drainhost.testing.TemporalServer;

/** The rolling-deployment drill against the SDK's Java test server. */
class DrillOnJavaTestServerIT extends DrillSuite {
  @Override
  TemporalServer.Kind kind() {
    return TemporalServer.Kind.JAVA_TEST_SERVER;
  }
}
