package io.drainhost.tracking;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Activity attempts running now, by task token: what a hand-off needs beyond the slot's info. */
public final class ActivityAttempts {
  private final Map<ByteString, ActivityAttempt> byToken = new ConcurrentHashMap<>();

  ActivityAttempt begin(byte[] taskToken, Thread thread, Duration heartbeatTimeout) {
    ActivityAttempt attempt = new ActivityAttempt(thread, heartbeatTimeout);
    byToken.put(ByteString.copyFrom(taskToken), attempt);
    return attempt;
  }

  void end(byte[] taskToken) {
    byToken.remove(ByteString.copyFrom(taskToken));
    synchronized (this) {
      notifyAll();
    }
  }

  /** Waits until no attempt runs on a thread of this process, or the timeout passes. */
  public synchronized boolean awaitNoneRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!byToken.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  public Optional<ActivityAttempt> find(byte[] taskToken) {
    return Optional.ofNullable(byToken.get(ByteString.copyFrom(taskToken)));
  }

  public Optional<ActivityAttempt> find(ByteString taskToken) {
    return Optional.ofNullable(byToken.get(taskToken));
  }
}
