package io.drainhost.support;

/**
 * The tag of the suites that assert how long things take (a drain's steps, a fail-fast answer, an
 * exit inside a stop timeout): they run two side by side among themselves, before the others
 * (drainhost-app's failsafe executions), so that no CPU-bound suite's load moves their clocks; they
 * mostly wait, and their bounds leave room for one another.
 */
public final class Timing {
  public static final String TAG = "timing";

  private Timing() {}
}
