package com.example.orders;

/** What a placed order reports. */
public record OrderReceipt(String customer, int quantity, String reservation, String charge) {}
