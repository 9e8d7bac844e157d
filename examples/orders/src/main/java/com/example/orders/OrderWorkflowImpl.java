package com.example.orders;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public final class OrderWorkflowImpl implements OrderWorkflow {
  private final OrderActivities activities =
      Workflow.newActivityStub(
          OrderActivities.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

  @Override
  public OrderReceipt place(OrderInput input) {
    String reservation = activities.reserve(input.customer(), input.quantity());
    // Orders wait a moment for the warehouse to confirm: a run that stays open, as real ones do.
    Workflow.sleep(Duration.ofSeconds(input.quantity() > 50 ? 3600 : 1));
    String charge = activities.charge(input.customer(), input.quantity());
    return new OrderReceipt(input.customer(), input.quantity(), reservation, charge);
  }
}
