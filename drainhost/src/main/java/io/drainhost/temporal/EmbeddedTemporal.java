package io.drainhost.temporal;

import io.grpc.ManagedChannel;
import io.temporal.testserver.TestServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's in-memory Temporal test server, inside this JVM, reached over an in-process gRPC
 * channel. Its state (every workflow) is lost when the process exits.
 */
final class EmbeddedTemporal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedTemporal.class);
  private final TestServer.InProcessTestServer server;

  private EmbeddedTemporal(TestServer.InProcessTestServer server) {
    this.server = server;
  }

  static EmbeddedTemporal start() {
    log.warn(
        "TEMPORAL_ADDRESS is not set: starting an EMBEDDED in-memory Temporal dev server in this"
            + " process. Every workflow is LOST when the process exits and no other host can share"
            + " it. Set TEMPORAL_ADDRESS to use a real Temporal cluster.");
    // Real time, as in production: time skipping would fire timers and timeouts early.
    return new EmbeddedTemporal(TestServer.createServer(true));
  }

  ManagedChannel channel() {
    return server.getChannel();
  }

  @Override
  public void close() {
    server.close();
  }
}
