package com.example.orders;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Places an order: reserves the items, then charges the customer. Workflow code must be
 * deterministic: no clocks, randomness or I/O here, only in activities.
 */
@WorkflowInterface
public interface OrderWorkflow {
  @WorkflowMethod
  OrderReceipt place(OrderInput input);
}
