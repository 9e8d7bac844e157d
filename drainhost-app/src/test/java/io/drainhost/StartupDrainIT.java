package io.drainhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.testing.ChildProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A SIGTERM while the host is still starting, with the embedded Temporal of `serve`. */
class StartupDrainIT {
  @Test
  void sigtermDuringStartupStillDrainsAndExitsCleanly() throws Exception {
    // Embedded Temporal: a second of startup between the first log line and SERVING.
    try (ChildProcess host =
        ChildProcess.start(
            "early-sigterm", Map.of("DRAINHOST_PORT", "0", "DRAINHOST_BIND", "127.0.0.1"))) {
      host.awaitLog("drainhost starting", Duration.ofSeconds(60));
      host.signal("TERM");
      assertEquals(0, host.awaitExit(Duration.ofSeconds(30)), host.tail());
      assertTrue(host.output().contains("drain report: trigger=SIGTERM"), host.tail());
    }
  }
}
