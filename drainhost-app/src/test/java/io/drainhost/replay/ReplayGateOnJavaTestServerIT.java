package io.drainhost.replay;

import io.drainhost.testing.TemporalServer;

/** The replay gate against the SDK's Java test server (no visibility queries: open runs listed). */
class ReplayGateOnJavaTestServerIT extends ReplayGateSuite {
  @Override
  TemporalServer.Kind kind() {
    return TemporalServer.Kind.JAVA_TEST_SERVER;
  }
}
