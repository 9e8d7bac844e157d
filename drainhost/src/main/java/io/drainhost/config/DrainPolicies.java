package io.drainhost.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The drain policy of each activity type: {@code DRAINHOST_DRAIN_POLICY}, a comma list of {@code
 * ActivityType=policy} where {@code *} names every other type (default {@code *=auto}).
 *
 * @param byType policies of named activity types
 * @param others the policy of every other type
 */
public record DrainPolicies(Map<String, DrainPolicy> byType, DrainPolicy others) {
  public static final DrainPolicies DEFAULT = new DrainPolicies(Map.of(), DrainPolicy.AUTO);

  public DrainPolicies {
    byType = Map.copyOf(byType);
  }

  public DrainPolicy forType(String activityType) {
    return byType.getOrDefault(activityType, others);
  }

  /** The same policies with {@code activityType}'s replaced (the builder's per-type setting). */
  public DrainPolicies with(String activityType, DrainPolicy policy) {
    if ("*".equals(activityType)) {
      return new DrainPolicies(byType, policy);
    }
    Map<String, DrainPolicy> copy = new LinkedHashMap<>(byType);
    copy.put(activityType, policy);
    return new DrainPolicies(copy, others);
  }

  /** Parses the variable's value; the message of the exception says what is wrong with it. */
  public static DrainPolicies parse(String value) {
    Map<String, DrainPolicy> byType = new LinkedHashMap<>();
    DrainPolicy others = null;
    for (String entry : value.split(",", -1)) {
      String e = entry.trim();
      int eq = e.indexOf('=');
      if (eq <= 0 || eq == e.length() - 1) {
        throw new IllegalArgumentException(
            "'"
                + e
                + "' must be ActivityType=policy (policy: finish, handoff or auto; * = every other type)");
      }
      String type = e.substring(0, eq).trim();
      String policyName = e.substring(eq + 1).trim();
      DrainPolicy policy;
      try {
        policy = DrainPolicy.valueOf(policyName.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException unknown) {
        throw new IllegalArgumentException(
            "'" + policyName + "' for " + type + " is not a policy: finish, handoff or auto");
      }
      boolean duplicate = "*".equals(type) ? others != null : byType.containsKey(type);
      if (duplicate) {
        throw new IllegalArgumentException(type + " is given twice");
      }
      if ("*".equals(type)) {
        others = policy;
      } else {
        byType.put(type, policy);
      }
    }
    return new DrainPolicies(byType, others == null ? DrainPolicy.AUTO : others);
  }
}
