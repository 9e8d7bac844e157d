package io.drainhost.tracking;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long this process has seen attempts of each activity type take to complete: the newest {@link
 * #PER_TYPE} durations of at most {@link #TYPES} types (the least recently completed type is
 * forgotten first), so memory stays bounded whatever the number of types and attempts.
 */
public final class ActivityDurations {
  public static final int PER_TYPE = 256;
  public static final int TYPES = 512;

  private final Map<String, Ring> byType =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Ring> eldest) {
          return size() > TYPES;
        }
      };

  /** Records a completed attempt. */
  public synchronized void record(String activityType, Duration took) {
    byType.computeIfAbsent(activityType, t -> new Ring()).add(Math.max(0, took.toMillis()));
  }

  /** The recorded durations of this type in milliseconds, oldest first (empty if none). */
  public synchronized long[] millis(String activityType) {
    Ring ring = byType.get(activityType);
    return ring == null ? new long[0] : ring.toArray();
  }

  private static final class Ring {
    private final long[] values = new long[PER_TYPE];
    private int next;
    private int size;

    void add(long value) {
      values[next] = value;
      next = (next + 1) % values.length;
      size = Math.min(size + 1, values.length);
    }

    long[] toArray() {
      long[] out = new long[size];
      int start = size < values.length ? 0 : next;
      for (int i = 0; i < size; i++) {
        out[i] = values[(start + i) % values.length];
      }
      return out;
    }
  }
}
