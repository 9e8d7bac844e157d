package io.drainhost;

import io.drainhost.testing.TemporalServer;

/** The drain suite against the SDK's Java test server (sticky execution off, as `auto` sets it). */
class DrainOnJavaTestServerIT extends DrainSuite {
  @Override
  TemporalServer.Kind kind() {
    return TemporalServer.Kind.JAVA_TEST_SERVER;
  }
}
