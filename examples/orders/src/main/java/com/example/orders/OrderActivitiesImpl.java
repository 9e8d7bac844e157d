package com.example.orders;

/** Stands in for the inventory and payment services an order touches. */
public final class OrderActivitiesImpl implements OrderActivities {
  @Override
  public String reserve(String customer, int quantity) {
    return "reservation-" + customer + "-" + quantity;
  }

  @Override
  public String charge(String customer, int quantity) {
    return "charge-" + customer + "-" + quantity * 5;
  }
}
