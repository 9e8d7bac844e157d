package io.drainhost.threads;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named daemon threads for the host's background helpers. Daemon, because the drain decides when
 * the process ends; no helper thread may keep a drained JVM alive.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Threads named {@code name}, {@code name-2}, {@code name-3}, … */
  public static ThreadFactory named(String name) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      int n = count.incrementAndGet();
      Thread t = new Thread(r, n == 1 ? name : name + "-" + n);
      t.setDaemon(true);
      return t;
    };
  }
}
