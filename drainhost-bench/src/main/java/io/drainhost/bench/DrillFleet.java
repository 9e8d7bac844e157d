package io.drainhost.bench;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The drill's hosts behind HAProxy and how a deployment replaces them: processes restarted in place
 * ({@link ProcessFleet}), or containers replaced as ECS replaces tasks ({@link ContainerFleet}).
 */
interface DrillFleet extends AutoCloseable {
  /** Every port HAProxy routes to, one server line each. */
  List<Integer> slots();

  /** Starts the first hosts and waits until each polls. */
  void start();

  /** Replaces host {@code index} once, as this kind of fleet is deployed. */
  void replace(String round, int index);

  /** Deploys new code; what it must show is the fleet kind's. */
  void deploy();

  /** Stops every host that still runs. */
  void stopAll();

  @Override
  void close();

  /** What the fleet did, for the drill's report and verdict. */
  final class Report {
    final List<String> rows = new CopyOnWriteArrayList<>();
    int handedOff;
    boolean allExitedZero = true;

    /** False once the deploy phase did not go as the fleet kind demands. */
    boolean deployAsExpected = true;

    /** When new code began to replace old: from then on, both run side by side. */
    volatile Instant rolloutStartedAt;

    void row(String kind, String row) {
      rows.add(row);
      System.out.println(kind + ": " + row);
    }
  }
}
