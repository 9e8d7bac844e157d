package io.drainhost.lifecycle;

/**
 * A part of a host that owns threads, sockets or connections: started once, in the order of the
 * {@link StartSequence}, and stopped in the reverse order by the drain. {@link #stop()} is
 * idempotent and never throws.
 */
public interface Managed {
  /** What the part does, as the start and the drain log it ({@code watch_temporal}). */
  String name();

  void start();

  void stop();

  /** A part from its start and stop. */
  static Managed of(String name, Runnable start, Runnable stop) {
    return new Managed() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void start() {
        start.run();
      }

      @Override
      public void stop() {
        stop.run();
      }
    };
  }

  /** A part that runs only if present: nothing to start or stop otherwise. */
  static Managed optional(String name, java.util.Optional<? extends Managed> part) {
    return part.isPresent() ? part.get() : of(name, () -> {}, () -> {});
  }
}
