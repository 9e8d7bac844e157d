package io.drainhost.tracking;

/**
 * Ends the pollers of one set of workers for good, from the moment it is closed. The SDK asks for a
 * slot before every poll; a poller that asks once the gate is closed gets its own thread
 * interrupted, so its reservation is aborted without a poll and its poll loop stops (the SDK ends a
 * loop whose thread is interrupted). This is what keeps a stopping host from polling again: the
 * SDK's shutdown only stops its pollers after the {@code ShutdownWorker} call returns, and the
 * polls that this call completes are otherwise followed by fresh ones — on the sticky queue too,
 * which makes the server keep routing cached workflows to a host that is going away.
 */
public final class PollGate {
  private volatile boolean closed;

  public void close() {
    closed = true;
  }

  public boolean closed() {
    return closed;
  }
}
