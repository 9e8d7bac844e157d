package io.drainhost.http;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Tells Jetty how many object references fit in a cache line, which it would otherwise find out by
 * creating the platform MBean server (registering every MXBean) the first time it makes a queue:
 * about 40 ms of a task's start on its one CPU. The value is the one Jetty would find.
 */
final class JettyMemoryLayout {
  static final String PROPERTY = "org.eclipse.jetty.util.referencesPerCacheLine";
  private static final String CACHE_LINE_PROPERTY = "org.eclipse.jetty.util.cacheLineBytes";

  private JettyMemoryLayout() {}

  /** Sets Jetty's property unless it is set already; before Jetty's first queue is made. */
  static void preset() {
    if (System.getProperty(PROPERTY) != null) {
      return;
    }
    int cacheLine = Integer.getInteger(CACHE_LINE_PROPERTY, 64);
    boolean compressedOops;
    try {
      compressedOops =
          Boolean.parseBoolean(
              ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                  .getVMOption("UseCompressedOops")
                  .getValue());
    } catch (RuntimeException e) {
      return; // not HotSpot: Jetty asks in its own way
    }
    System.setProperty(PROPERTY, Integer.toString(cacheLine / (compressedOops ? 4 : 8)));
  }
}
