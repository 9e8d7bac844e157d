package io.drainhost.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The workflow shapes {@code bench} can start, and the workflow type and input of each. */
enum BenchPattern {
  GREETING("greeting", "GreetingWorkflow"),
  SLEEP("sleep", "SleepWorkflow"),
  MULTI_ACTIVITY("multi-activity", "BenchmarkWorkflow"),
  TIMER("timer", "BenchmarkWorkflow"),
  CHILD_WORKFLOW("child-workflow", "BenchmarkWorkflow");

  final String wireName;
  final String workflowType;

  BenchPattern(String wireName, String workflowType) {
    this.wireName = wireName;
    this.workflowType = workflowType;
  }

  static BenchPattern of(String name) {
    for (BenchPattern p : values()) {
      if (p.wireName.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown pattern '"
            + name
            + "'; use greeting, sleep, multi-activity, timer or child-workflow");
  }

  /** The workflow input, as JSON-ready maps. */
  Map<String, Object> input(int activitySeconds, int activities, int millis) {
    Map<String, Object> input = new LinkedHashMap<>();
    switch (this) {
      case GREETING:
        input.put("name", "bench");
        break;
      case SLEEP:
        input.put("seconds", activitySeconds);
        break;
      default:
        input.put("pattern", wireName);
        input.put("activities", activities);
        input.put("millis", millis);
    }
    return input;
  }
}
