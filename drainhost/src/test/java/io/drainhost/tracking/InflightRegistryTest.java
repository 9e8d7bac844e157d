package io.drainhost.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InflightRegistryTest {
  static InflightItem item(WorkKind kind, String id) {
    return new InflightItem(
        kind, "queue", id, "run", "W", "T", 1, 0, Instant.now(), new byte[] {1});
  }

  @Test
  void countsAreExactUnderConcurrentAddsAndRemovesIncludingStrayReleases() throws Exception {
    InflightRegistry registry = new InflightRegistry();
    int threads = 8;
    int perThread = 20_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    // Seen by the workers, checked here: a failed assertion in another thread fails no test.
    AtomicInteger outOfRange = new AtomicInteger();
    int perKind = threads / 2; // each thread holds at most one permit at a time
    for (int t = 0; t < threads; t++) {
      WorkKind kind = t % 2 == 0 ? WorkKind.ACTIVITY : WorkKind.WORKFLOW_TASK;
      Thread th =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  Object permit = new Object();
                  registry.add(permit, item(kind, "w" + i));
                  registry.add(
                      permit, item(kind, "again")); // a second add of one permit counts once
                  registry.remove(permit);
                  registry.remove(permit); // a second release changes nothing
                  registry.remove(new Object()); // a slot that was never used
                  int n = registry.count(kind);
                  if (n < 0 || n > perKind) {
                    outOfRange.incrementAndGet();
                  }
                }
              });
      th.start();
      workers.add(th);
    }
    go.countDown();
    for (Thread th : workers) {
      th.join();
    }
    assertEquals(0, outOfRange.get(), "counts outside 0.." + perKind + " seen while running");
    assertEquals(0, registry.total());
    assertEquals(0, registry.count(WorkKind.ACTIVITY));
    assertEquals(0, registry.count(WorkKind.WORKFLOW_TASK));
    assertEquals((long) threads * perThread, registry.finishedTotal());
    assertTrue(registry.snapshot().isEmpty());
  }

  @Test
  void awaitEmptyReturnsAsSoonAsTheLastItemLeaves() throws Exception {
    InflightRegistry registry = new InflightRegistry();
    Object permit = new Object();
    registry.add(permit, item(WorkKind.ACTIVITY, "a"));
    assertFalse(registry.awaitEmpty(Duration.ofMillis(20)));
    Thread releaser =
        new Thread(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException ignored) {
                // test ends anyway
              }
              registry.remove(permit);
            });
    releaser.start();
    assertTrue(registry.awaitEmpty(Duration.ofSeconds(30)));
    releaser.join();
  }

  private static InflightItem attempt(int n) {
    byte[] token = java.nio.ByteBuffer.allocate(4).putInt(n).array();
    return new InflightItem(
        WorkKind.ACTIVITY, "queue", "wf-" + n, "run", "W", "T", 1, 0, Instant.now(), token);
  }

  @Test
  void aHandedOffAttemptIsFoundByItsTaskTokenAndOnlyItLeaves() {
    InflightRegistry registry = new InflightRegistry();
    List<InflightItem> items = new ArrayList<>();
    for (int n = 0; n < 1000; n++) {
      items.add(attempt(n));
      registry.add(new Object(), items.get(n));
    }
    registry.handedOff(items.get(500));
    registry.handedOff(items.get(500)); // twice changes nothing
    assertEquals(999, registry.total());
    assertFalse(registry.snapshot().contains(items.get(500)));
    assertTrue(registry.snapshot().contains(items.get(501)));
    assertEquals(0, registry.finishedTotal(), "a hand-off is not a finish");
  }

  @Test
  void aDecisionIsKeptForAnAttemptInFlightAndDroppedWhenItLeaves() {
    InflightRegistry registry = new InflightRegistry();
    Object permit = new Object();
    InflightItem running = attempt(1);
    InflightItem gone = attempt(2);
    registry.add(permit, running);
    DrainDecision decision =
        new DrainDecision(io.drainhost.config.DrainPolicy.FINISH, false, "test");
    registry.decided(running, decision);
    registry.decided(gone, decision);
    assertEquals(decision, registry.decision(running));
    assertEquals(null, registry.decision(gone), "no decision for an attempt not in flight");
    registry.remove(permit);
    assertEquals(null, registry.decision(running));
  }
}
