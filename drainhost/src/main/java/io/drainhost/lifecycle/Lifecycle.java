package io.drainhost.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one state machine of a host (STARTING → SERVING → DRAINING → STOPPED) that every part reads.
 * Transitions are compare-and-set, so two triggers racing to start a drain cannot both win.
 */
public final class Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  private final AtomicReference<HostState> state = new AtomicReference<>(HostState.STARTING);
  private final List<BiConsumer<HostState, HostState>> listeners = new CopyOnWriteArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Instant since = Instant.now();

  public HostState state() {
    return state.get();
  }

  /** True once a drain began (DRAINING, then STOPPED): background work pauses for it. */
  public boolean drainStarted() {
    HostState s = state.get();
    return s == HostState.DRAINING || s == HostState.STOPPED;
  }

  /** When the current state began. */
  public Instant since() {
    return since;
  }

  /**
   * Moves from {@code from} to {@code to}. Returns false when the state is no longer {@code from}
   * (another trigger won); throws when the transition itself is not allowed.
   */
  public boolean transition(HostState from, HostState to) {
    if (!from.canMoveTo(to)) {
      throw new IllegalStateException("illegal host state transition " + from + " -> " + to);
    }
    if (!state.compareAndSet(from, to)) {
      return false;
    }
    since = Instant.now();
    log.info("host state changed: from={} to={}", from.wireName(), to.wireName());
    for (BiConsumer<HostState, HostState> l : listeners) {
      try {
        l.accept(from, to);
      } catch (RuntimeException e) {
        log.warn("host state listener failed: listener={} error={}", l, e.toString());
      }
    }
    if (to == HostState.STOPPED) {
      stopped.countDown();
    }
    return true;
  }

  /** Moves to DRAINING from whatever state allows it; false when a drain already began. */
  public boolean beginDrain() {
    while (true) {
      HostState current = state.get();
      if (!current.canMoveTo(HostState.DRAINING)) {
        return false;
      }
      if (transition(current, HostState.DRAINING)) {
        return true;
      }
    }
  }

  /** Listeners run on the thread that made the transition, after it is visible to readers. */
  public void onTransition(BiConsumer<HostState, HostState> listener) {
    listeners.add(listener);
  }

  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }
}
