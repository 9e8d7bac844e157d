package io.drainhost.tracking;

import com.google.protobuf.ByteString;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Activity attempts running now, by task token: what a hand-off needs beyond the slot's info. */
public final class ActivityAttempts {
  private final Map<ByteString, ActivityAttempt> byToken = new ConcurrentHashMap<>();

  ActivityAttempt begin(byte[] taskToken, Thread thread) {
    ActivityAttempt attempt = new ActivityAttempt(thread);
    byToken.put(ByteString.copyFrom(taskToken), attempt);
    return attempt;
  }

  void end(byte[] taskToken) {
    byToken.remove(ByteString.copyFrom(taskToken));
  }

  public Optional<ActivityAttempt> find(byte[] taskToken) {
    return Optional.ofNullable(byToken.get(ByteString.copyFrom(taskToken)));
  }
}
