package io.drainhost.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.jetty.util.MemoryUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JettyMemoryLayoutTest {
  private final String before = System.getProperty(JettyMemoryLayout.PROPERTY);

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(JettyMemoryLayout.PROPERTY);
    } else {
      System.setProperty(JettyMemoryLayout.PROPERTY, before);
    }
  }

  @Test
  void tellsJettyTheReferencesPerCacheLineItWouldHaveFoundItself() {
    System.clearProperty(JettyMemoryLayout.PROPERTY);
    // Jetty's own answer, found through the platform MBean server when nothing told it (unless
    // another test of this JVM made a Jetty server first)
    int jettys = MemoryUtils.getReferencesPerCacheLine();
    JettyMemoryLayout.preset();
    assertEquals(Integer.toString(jettys), System.getProperty(JettyMemoryLayout.PROPERTY));
  }

  @Test
  void leavesAValueAnOperatorSetAlone() {
    System.setProperty(JettyMemoryLayout.PROPERTY, "7");
    JettyMemoryLayout.preset();
    assertEquals("7", System.getProperty(JettyMemoryLayout.PROPERTY));
  }
}
