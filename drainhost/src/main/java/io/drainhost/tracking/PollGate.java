package io.drainhost.tracking;

import io.temporal.worker.tuning.SlotPermit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends the pollers of one set of workers for good, from the moment it is closed, and knows which of
 * their polls are still outstanding. The SDK asks for a slot before every poll; a poller that asks
 * once the gate is closed gets its own thread interrupted, so its reservation is aborted without a
 * poll and its poll loop stops (the SDK ends a loop whose thread is interrupted). This is what
 * keeps a stopping host from polling again: the SDK's shutdown only stops its pollers after the
 * {@code ShutdownWorker} call returns, and the polls that this call completes are otherwise
 * followed by fresh ones — on the sticky queue too, which makes the server keep routing cached
 * workflows to a host that is going away.
 *
 * <p>A poll holds a slot permit from its reservation until its task is marked used (then it is in
 * flight, in the registry) or the permit is released (no task). While any is outstanding, the
 * server may still hand this host a task; a drain waits for none before handing work back.
 */
public final class PollGate {
  private volatile boolean closed;
  private final Set<SlotPermit> outstanding = ConcurrentHashMap.newKeySet();

  public void close() {
    closed = true;
  }

  public boolean closed() {
    return closed;
  }

  void pollStarted(SlotPermit permit) {
    outstanding.add(permit);
  }

  void pollEnded(SlotPermit permit) {
    outstanding.remove(permit);
  }

  /** True when no poll of these workers can deliver a task any more. */
  public boolean quiet() {
    return outstanding.isEmpty();
  }
}
