package io.drainhost.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  @Test
  void movesForwardOnlyAndIllegalTransitionsThrow() {
    Lifecycle l = new Lifecycle();
    assertEquals(HostState.STARTING, l.state());
    assertTrue(l.transition(HostState.STARTING, HostState.SERVING));
    assertThrows(
        IllegalStateException.class, () -> l.transition(HostState.SERVING, HostState.STARTING));
    assertThrows(
        IllegalStateException.class, () -> l.transition(HostState.DRAINING, HostState.SERVING));
    assertFalse(l.transition(HostState.STARTING, HostState.SERVING), "stale from-state loses");
    assertTrue(l.beginDrain());
    assertTrue(l.transition(HostState.DRAINING, HostState.STOPPED));
    assertFalse(l.beginDrain());
  }

  @Test
  void exactlyOneOfManyConcurrentDrainTriggersWins() throws Exception {
    Lifecycle l = new Lifecycle();
    l.transition(HostState.STARTING, HostState.SERVING);
    AtomicInteger wins = new AtomicInteger();
    List<String> seen = new ArrayList<>();
    l.onTransition(
        (from, to) -> {
          synchronized (seen) {
            seen.add(from + "->" + to);
          }
        });
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                if (l.beginDrain()) {
                  wins.incrementAndGet();
                }
              });
      t.start();
      threads.add(t);
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(1, wins.get());
    assertEquals(List.of("SERVING->DRAINING"), seen);
  }

  @Test
  void aSignalDuringStartupDrainsStraightFromStarting() {
    Lifecycle l = new Lifecycle();
    assertTrue(l.beginDrain());
    assertEquals(HostState.DRAINING, l.state());
  }
}
