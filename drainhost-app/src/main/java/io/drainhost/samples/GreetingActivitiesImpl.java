package io.drainhost.samples;

public class GreetingActivitiesImpl implements GreetingActivities {
  @Override
  public String compose(String name) {
    return "Hello, " + name + "!";
  }
}
