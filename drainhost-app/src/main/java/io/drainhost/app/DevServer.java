package io.drainhost.app;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code dev-server} subcommand: the SDK's Java test server on real gRPC, bound to loopback
 * only, so several hosts on this machine can share one Temporal. In-memory and real-time.
 */
public final class DevServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DevServer.class);
  private final TestServicesStarter services;
  private final Server grpc;

  private DevServer(TestServicesStarter services, Server grpc) {
    this.services = services;
    this.grpc = grpc;
  }

  /**
   * Starts listening on 127.0.0.1:{@code port}; throws {@link IOException} when the port is taken.
   */
  public static DevServer start(int port) throws IOException {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server grpc;
    try {
      grpc = builder.build().start();
    } catch (IOException e) {
      services.close();
      throw new IOException(
          "cannot listen on 127.0.0.1:"
              + port
              + " ("
              + e.getMessage()
              + "); is another dev server or Temporal running there? Pick another --port.",
          e);
    }
    DevServer server = new DevServer(services, grpc);
    log.info("Temporal dev server listening on 127.0.0.1:{}", grpc.getPort());
    return server;
  }

  public int port() {
    return grpc.getPort();
  }

  @Override
  public void close() {
    grpc.shutdown();
    try {
      if (!grpc.awaitTermination(2, TimeUnit.SECONDS)) {
        grpc.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      grpc.shutdownNow();
    }
    services.close();
    log.info("Temporal dev server stopped");
  }
}
