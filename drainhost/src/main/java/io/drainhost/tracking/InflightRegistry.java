package io.drainhost.tracking;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The work executing in this process, keyed by the SDK's slot permit. The SDK marks a permit used
 * exactly once when it hands a task to this worker and releases it exactly once after the result is
 * reported, so counting puts and removes that changed the map is exact: it cannot drift and cannot
 * go negative, whatever the interleaving.
 */
public final class InflightRegistry {
  private final Map<Object, InflightItem> items = new ConcurrentHashMap<>();

  /**
   * The slot permit of each activity attempt in flight, by its task token: a hand-off and a drain
   * decision find their item in constant time (a drain of n attempts made n scans of the map).
   */
  private final Map<ByteBuffer, Object> keysByToken = new ConcurrentHashMap<>();

  /** Decisions of the current drain, by item; an item's entry goes when the item does. */
  private final Map<InflightItem, DrainDecision> decisions = new ConcurrentHashMap<>();

  private final Map<WorkKind, AtomicInteger> counts = new EnumMap<>(WorkKind.class);
  private final Object emptied = new Object();
  private final java.util.concurrent.atomic.AtomicLong finished =
      new java.util.concurrent.atomic.AtomicLong();

  public InflightRegistry() {
    for (WorkKind k : WorkKind.values()) {
      counts.put(k, new AtomicInteger());
    }
  }

  /** Records that {@code key} (a slot permit) now carries {@code item}. */
  public void add(Object key, InflightItem item) {
    if (items.putIfAbsent(key, item) == null) {
      if (item.taskToken().length > 0) {
        keysByToken.put(token(item), key);
      }
      counts.get(item.kind()).incrementAndGet();
    }
  }

  /** Forgets {@code key}; a key that was never added (a slot never used) changes nothing. */
  public void remove(Object key) {
    InflightItem removed = items.remove(key);
    if (removed != null) {
      finished.incrementAndGet();
      forgotten(removed);
    }
  }

  /**
   * Forgets an item that was handed back to Temporal: it belongs to its next attempt now, even if
   * its thread has not ended yet (the slot's later release changes nothing). Not counted as
   * finished.
   */
  public void handedOff(InflightItem item) {
    Object key = item.taskToken().length > 0 ? keysByToken.get(token(item)) : null;
    if (key != null && items.remove(key, item)) {
      forgotten(item);
    }
  }

  /** The bookkeeping of an item that left the map; wakes the drain's wait when none is left. */
  private void forgotten(InflightItem item) {
    if (item.taskToken().length > 0) {
      keysByToken.remove(token(item));
    }
    decisions.remove(item);
    counts.get(item.kind()).decrementAndGet();
    if (items.isEmpty()) {
      synchronized (emptied) {
        emptied.notifyAll();
      }
    }
  }

  /** Records what the drain decided for an item still in flight. */
  public void decided(InflightItem item, DrainDecision decision) {
    Object key = item.taskToken().length > 0 ? keysByToken.get(token(item)) : null;
    if (key != null && items.get(key) == item) {
      decisions.put(item, decision);
    }
  }

  private static ByteBuffer token(InflightItem item) {
    return ByteBuffer.wrap(item.taskToken()).asReadOnlyBuffer();
  }

  /** The drain's decision for this item, or null before a drain (or for workflow tasks). */
  public DrainDecision decision(InflightItem item) {
    return decisions.get(item);
  }

  /** How many items have left the registry since the process started (monotonic). */
  public long finishedTotal() {
    return finished.get();
  }

  public int count(WorkKind kind) {
    return counts.get(kind).get();
  }

  public int total() {
    int sum = 0;
    for (AtomicInteger c : counts.values()) {
      sum += c.get();
    }
    return sum;
  }

  /** The items now in flight, oldest first. */
  public List<InflightItem> snapshot() {
    List<InflightItem> list = new ArrayList<>(items.values());
    list.sort(Comparator.comparing(InflightItem::startedAt));
    return list;
  }

  /** Waits until nothing is in flight or {@code timeout} passes; returns true when empty. */
  public boolean awaitEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (emptied) {
      while (!items.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        // Bounded wait: a notify between the isEmpty check and wait() is caught on the next lap.
        emptied.wait(Math.max(1, Math.min(left / 1_000_000, 50)));
      }
      return true;
    }
  }
}
