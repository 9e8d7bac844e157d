package com.example.orders;

import io.drainhost.DrainHost;
import io.drainhost.DrainHostBuilder;

/**
 * The orders service: {@code java -jar orders.jar} serves until SIGTERM, then drains; {@code java
 * -jar orders.jar replay-check} replays the running orders on this build, for a pipeline.
 */
public final class OrdersHost {
  public static void main(String[] args) {
    DrainHostBuilder host =
        DrainHost.builder()
            .registerWorkflowImplementationTypes(OrderWorkflowImpl.class)
            .registerActivitiesImplementations(new OrderActivitiesImpl());
    boolean check = args.length > 0 && args[0].equals("replay-check");
    System.exit(check ? host.replayCheck() : host.run());
  }
}
