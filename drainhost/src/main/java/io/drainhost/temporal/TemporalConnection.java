package io.drainhost.temporal;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.drainhost.config.TemporalTarget;
import io.drainhost.threads.DaemonThreads;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's one connection to Temporal: service stubs and a client, to the configured cluster or
 * to the embedded server. Opening never blocks on the network (stubs connect lazily), so the host
 * starts whether or not Temporal is reachable.
 */
public final class TemporalConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TemporalConnection.class);

  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final EmbeddedTemporal embedded;
  private final Scope metricsScope;
  private final EventLoopGroup eventLoop;

  private TemporalConnection(
      WorkflowServiceStubs stubs,
      WorkflowClient client,
      EmbeddedTemporal embedded,
      Scope scope,
      EventLoopGroup eventLoop) {
    this.eventLoop = eventLoop;
    this.stubs = stubs;
    this.client = client;
    this.embedded = embedded;
    this.metricsScope = scope;
  }

  /**
   * Opens the connection; every call on it, the SDK's included, passes {@code interceptors} (after
   * those of Temporal's env config).
   */
  public static TemporalConnection open(
      TemporalTarget target,
      MeterRegistry registry,
      String identity,
      Duration rpcTimeout,
      List<ClientInterceptor> observers) {
    Scope scope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(com.uber.m3.util.Duration.ofSeconds(5));
    EmbeddedTemporal embedded = null;
    EventLoopGroup eventLoop = null;
    WorkflowServiceStubsOptions.Builder options;
    List<ClientInterceptor> interceptors = new ArrayList<>();
    if (target.embedded()) {
      embedded = EmbeddedTemporal.start();
      options = WorkflowServiceStubsOptions.newBuilder().setChannel(embedded.channel());
    } else {
      log.info("connecting to Temporal: {}", target);
      WorkflowServiceStubsOptions fromEnv = target.profile().toWorkflowServiceStubsOptions();
      options = WorkflowServiceStubsOptions.newBuilder(fromEnv);
      if (fromEnv.getGrpcClientInterceptors() != null) {
        interceptors.addAll(fromEnv.getGrpcClientInterceptors());
      }
      if (target.tlsDisabled()) {
        // The SDK turns TLS on for an API key unless told otherwise, and the profile does not
        // pass an explicit TEMPORAL_TLS=false on: a key sent to a plaintext endpoint (a proxy,
        // a local server) would otherwise fail every handshake.
        options.setEnableHttps(false);
      }
      // gRPC's shared event loop lingers after shutdown, its threads blocked in epoll; the JVM
      // then waits 300 ms at exit for such threads. An own loop is closed with the connection.
      // Native epoll where Netty has it (as gRPC's default loop would): NIO cost measurable
      // throughput on a busy worker.
      boolean epoll = Epoll.isAvailable();
      ThreadFactory threads = DaemonThreads.named("drainhost-grpc");
      EventLoopGroup loop =
          epoll ? new EpollEventLoopGroup(2, threads) : new NioEventLoopGroup(2, threads);
      Class<? extends Channel> channelType =
          epoll ? EpollSocketChannel.class : NioSocketChannel.class;
      eventLoop = loop;
      Consumer<ManagedChannelBuilder<?>> fromEnvInit = fromEnv.getChannelInitializer();
      options.setChannelInitializer(
          builder -> {
            if (builder instanceof NettyChannelBuilder) {
              ((NettyChannelBuilder) builder).eventLoopGroup(loop).channelType(channelType);
            }
            if (fromEnvInit != null) {
              fromEnvInit.accept(builder);
            }
          });
    }
    interceptors.addAll(observers);
    options
        .setGrpcClientInterceptors(interceptors)
        .setMetricsScope(scope)
        .setRpcTimeout(rpcTimeout)
        .setHealthCheckAttemptTimeout(Duration.ofSeconds(2));
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(options.build());
    if (!target.embedded()) {
      // The connection (TCP, TLS, HTTP/2) is made on gRPC's event loop while the start goes on
      // (the HTTP server, the workers): the first check then finds it made, or under way.
      stubs.getRawChannel().getState(true);
    }
    WorkflowClientOptions.Builder clientOptions =
        WorkflowClientOptions.newBuilder(target.profile().toWorkflowClientOptions())
            .setNamespace(target.namespace())
            .setIdentity(identity);
    WorkflowClient client = WorkflowClient.newInstance(stubs, clientOptions.build());
    return new TemporalConnection(stubs, client, embedded, scope, eventLoop);
  }

  /**
   * Whether the embedded server can run here: the library declares temporal-test-server optional,
   * and a service may leave it out.
   */
  public static boolean embeddedServerAvailable() {
    try {
      Class.forName(
          "io.temporal.testserver.TestServer", false, TemporalConnection.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  public WorkflowClient client() {
    return client;
  }

  public String namespace() {
    return client.getOptions().getNamespace();
  }

  public String identity() {
    return client.getOptions().getIdentity();
  }

  public Scope metricsScope() {
    return metricsScope;
  }

  public boolean embedded() {
    return embedded != null;
  }

  /**
   * True when the server is the SDK's Java test server (embedded or {@code dev-server}): it reports
   * no server version, unlike a real Temporal cluster.
   */
  public boolean isJavaTestServer() {
    if (embedded != null) {
      return true;
    }
    String version =
        stubs
            .blockingStub()
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .getSystemInfo(GetSystemInfoRequest.getDefaultInstance())
            .getServerVersion();
    return version.isEmpty();
  }

  /** Closes within the usual bound (2.5 s at most; an idle connection closes in milliseconds). */
  @Override
  public void close() {
    close(Duration.ofMillis(2500));
  }

  /**
   * Closes the channel, then the embedded server and the event loop, within {@code within}: the
   * channel gets two fifths of it to finish its calls, then is cut; the event loop the rest.
   */
  public void close(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    stubs.shutdown();
    // Milliseconds on purpose: the SDK's ChannelManager.awaitTermination passes the milliseconds
    // left with the caller's unit, so (2, SECONDS) would wait 2000 seconds on a busy channel.
    if (!stubs.awaitTermination(within.toMillis() * 2 / 5, TimeUnit.MILLISECONDS)) {
      stubs.shutdownNow();
      stubs.awaitTermination(within.toMillis() / 5, TimeUnit.MILLISECONDS);
    }
    try {
      metricsScope.close();
    } catch (Exception e) {
      log.debug("closing the Temporal metrics scope failed: error={}", e.toString());
    }
    if (embedded != null) {
      embedded.close();
    }
    if (eventLoop != null) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      eventLoop
          .shutdownGracefully(0, Math.min(100, left), TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(left);
    }
  }
}
