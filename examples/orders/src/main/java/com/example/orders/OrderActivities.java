package com.example.orders;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface OrderActivities {
  String reserve(String customer, int quantity);

  String charge(String customer, int quantity);
}
