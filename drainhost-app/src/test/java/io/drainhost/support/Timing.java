package io.drainhost.support;

/**
 * The tag of the suites that assert how long things take (a drain's steps, a fail-fast answer, an
 * exit inside a stop timeout): they run one at a time, before the others run two side by side
 * (drainhost-app's failsafe executions), so that no other suite's load moves their clocks.
 */
public final class Timing {
  public static final String TAG = "timing";

  private Timing() {}
}
