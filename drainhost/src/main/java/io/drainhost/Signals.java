package io.drainhost;

import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a drain. Replacing the JVM's handlers (instead of a shutdown hook)
 * keeps the JVM from starting its own shutdown, so the drain decides the exit code and a second
 * signal can be ignored instead of racing the first.
 */
final class Signals {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  static void onTermination(Predicate<String> drain) {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          sig -> {
            log.info("signal received: signal=SIG{}", sig.getName());
            drain.test("SIG" + sig.getName());
          });
    }
  }
}
