package io.drainhost.library;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface ReportActivities {
  String render(String name);
}
