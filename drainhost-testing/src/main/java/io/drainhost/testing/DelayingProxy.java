package io.drainhost.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback that delays every byte by a fixed time in each direction: a Temporal
 * cluster "far away" for a host in a test (50 ms of round trip = 25 ms each way). Order and
 * throughput are kept; only latency is added.
 */
public final class DelayingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private volatile long delayNanos;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private DelayingProxy(ServerSocket server, InetSocketAddress target, Duration oneWay) {
    this.server = server;
    this.target = target;
    this.delayNanos = oneWay.toNanos();
  }

  /** Forwards a free loopback port to {@code targetPort} with {@code oneWay} added each way. */
  public static DelayingProxy start(int targetPort, Duration oneWay) {
    try {
      ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      DelayingProxy proxy =
          new DelayingProxy(
              server, new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), oneWay);
      daemon("delaying-proxy-accept", proxy::acceptLoop).start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Changes the delay of the bytes that arrive from now on: Temporal turning slow, or fast. */
  public void delay(Duration oneWay) {
    this.delayNanos = oneWay.toNanos();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(target.getAddress(), target.getPort());
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        if (!closed) {
          // One connection failed (the target refused it); keep accepting others.
          continue;
        }
        return;
      }
    }
  }

  /** Reads from {@code from} as it arrives and writes each chunk to {@code to} after the delay. */
  private void pipe(Socket from, Socket to) {
    DelayQueue<Chunk> queue = new DelayQueue<>();
    daemon(
            "delaying-proxy-read",
            () -> {
              byte[] buffer = new byte[64 * 1024];
              long seq = 0;
              // Never before the previous chunk, so a shorter delay cannot reorder the stream.
              long last = 0;
              try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  last = Math.max(last, System.nanoTime() + delayNanos);
                  queue.put(new Chunk(last, seq++, java.util.Arrays.copyOf(buffer, n)));
                }
              } catch (IOException e) {
                // the connection ended
              }
              queue.put(new Chunk(Math.max(last, System.nanoTime() + delayNanos), seq, null));
            })
        .start();
    daemon(
            "delaying-proxy-write",
            () -> {
              try (OutputStream out = to.getOutputStream()) {
                while (true) {
                  Chunk c = queue.take();
                  if (c.bytes == null) {
                    to.shutdownOutput();
                    return;
                  }
                  out.write(c.bytes);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // the connection ended
              }
            })
        .start();
  }

  /** {@code seq} keeps the order of chunks that fall due at the same nanosecond. */
  private record Chunk(long dueNanos, long seq, byte[] bytes) implements Delayed {
    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Chunk o = (Chunk) other;
      return dueNanos != o.dueNanos ? Long.compare(dueNanos, o.dueNanos) : Long.compare(seq, o.seq);
    }
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
