package io.drainhost.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drainhost.testing.ChildProcess;
import java.time.Duration;

/** Child hosts in the life a test gives them: up and polling, then stopped with a clean exit. */
public final class Hosts {
  private Hosts() {}

  /** Waits until the host's workers poll (after its replay gate); returns its HTTP port. */
  public static int awaitPolling(ChildProcess host) {
    int port = host.awaitHttpPort();
    host.awaitLog("workers started", Duration.ofSeconds(90));
    return port;
  }

  /** SIGTERMs each host and asserts that it drained and exited 0. */
  public static void stopCleanly(ChildProcess... hosts) {
    for (ChildProcess h : hosts) {
      h.signal("TERM");
      assertEquals(0, h.awaitExit(Duration.ofSeconds(30)), h.tail());
    }
  }
}
