package io.drainhost.replay;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How much history the replay gate holds in memory at once, in kibibytes of heap: each history
 * takes its estimated share before it is fetched and gives it back once replayed, so the number of
 * histories in flight follows their sizes, not a fixed count. A history larger than the whole
 * budget is replayed alone; one larger than {@link #largestAlone()} is not replayed at all.
 */
final class HistoryBudget {
  /**
   * Heap a history takes while it is held and replayed, per byte of its serialized size: the
   * protobuf objects of its events, and the SDK's state machines replaying them. Measured on a
   * 10,001-event history of activities from the real server (bench-replay-pressure, which prints
   * it): the parsed events hold 5.19 MiB for 0.90 MiB serialized, 5.8 bytes per byte; the replay's
   * state machines and garbage come on top, hence 8.
   */
  static final int HEAP_PER_SERIALIZED_BYTE = 8;

  /** A history whose size is unknown (the Java test server does not report it) counts as this. */
  static final long UNKNOWN_SIZE_BYTES = 256 * 1024;

  private final int capacityKib;
  private final long largestAloneKib;
  private final Semaphore free;

  HistoryBudget(long capacityBytes, long largestAloneBytes) {
    this.capacityKib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, capacityBytes / 1024));
    this.largestAloneKib = Math.max(capacityKib, largestAloneBytes / 1024);
    this.free = new Semaphore(capacityKib, true);
  }

  /**
   * A quarter of the heap the JVM may grow to for the histories in flight, half of it for one that
   * must be replayed alone: the host's own work, the gRPC buffers of the fetches and the garbage of
   * finished replays need the rest.
   */
  static HistoryBudget fromHeap() {
    long max = Runtime.getRuntime().maxMemory();
    return new HistoryBudget(max / 4, max / 2);
  }

  /** Heap, in KiB, that a history of this serialized size takes (unknown: a default). */
  static long heapKib(long serializedBytes) {
    long bytes = serializedBytes > 0 ? serializedBytes : UNKNOWN_SIZE_BYTES;
    return Math.max(1, bytes * HEAP_PER_SERIALIZED_BYTE / 1024);
  }

  /** The largest history (its heap, in KiB) the gate replays at all. */
  long largestAlone() {
    return largestAloneKib;
  }

  long capacityKib() {
    return capacityKib;
  }

  /**
   * Takes the heap of one history, waiting at most {@code timeoutNanos}; a history larger than the
   * budget takes all of it (it is replayed alone). Returns the permits taken, or -1 when none were
   * free in time.
   */
  int acquire(long heapKib, long timeoutNanos) throws InterruptedException {
    int permits = (int) Math.min(capacityKib, heapKib);
    return free.tryAcquire(permits, timeoutNanos, TimeUnit.NANOSECONDS) ? permits : -1;
  }

  void release(int permits) {
    if (permits > 0) {
      free.release(permits);
    }
  }
}
