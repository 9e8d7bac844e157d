package io.drainhost.lifecycle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start, in the order its parts are listed: each started on the calling thread, its elapsed
 * time logged. A part that fails to start stops those started before it, in reverse, and the
 * failure propagates. The drain stops them with {@link #stopInReverse()}: one list for both, so the
 * stop is always the start's mirror image.
 */
public final class StartSequence {
  private static final Logger log = LoggerFactory.getLogger(StartSequence.class);

  private final List<Managed> parts;
  private final List<Managed> started = new ArrayList<>();
  private boolean ran;

  public StartSequence(List<Managed> parts) {
    this.parts = List.copyOf(parts);
  }

  /** Starts every part in order; single use. */
  public synchronized void run() {
    if (ran) {
      throw new IllegalStateException("a start sequence runs once");
    }
    ran = true;
    long begin = System.nanoTime();
    // Where a start goes: the JVM until here (its boot, class loading, configuration), then each
    // part; bench-container prints them.
    long jvmMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
    Map<String, Long> stepsMs = new LinkedHashMap<>();
    for (Managed part : parts) {
      long t = System.nanoTime();
      try {
        part.start();
      } catch (RuntimeException e) {
        log.error("start step failed: step={} error={}", part.name(), e.toString());
        stopInReverse();
        throw e;
      }
      started.add(part);
      stepsMs.put(part.name(), (System.nanoTime() - t) / 1_000_000);
    }
    log.info(
        "start done: steps={} elapsedMs={} jvmBeforeMs={} stepsMs={}",
        names(),
        (System.nanoTime() - begin) / 1_000_000,
        jvmMs,
        stepsMs);
  }

  /** Stops what was started, last first; a part whose stop fails does not keep the others up. */
  public synchronized void stopInReverse() {
    for (int i = started.size() - 1; i >= 0; i--) {
      Managed part = started.get(i);
      try {
        part.stop();
      } catch (RuntimeException e) {
        log.warn("stop failed: part={} error={}", part.name(), e.toString());
      }
    }
    started.clear();
  }

  private List<String> names() {
    return parts.stream().map(Managed::name).toList();
  }
}
