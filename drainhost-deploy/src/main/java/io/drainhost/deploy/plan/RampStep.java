package io.drainhost.deploy.plan;

import io.drainhost.deploy.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One step of a ramp: this share of new work to the new version, watched for this long. */
public record RampStep(float percent, Duration watch) {
  /**
   * {@code 10:5m,50:10m}: each {@code percent:duration}, percents rising, below 100 (setting the
   * version current is the last step); empty for all at once.
   */
  public static List<RampStep> parse(String spec) {
    List<RampStep> steps = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return steps;
    }
    float last = 0;
    for (String part : spec.split(",")) {
      String[] pd = part.trim().split(":");
      if (pd.length != 2) {
        throw new IllegalArgumentException(
            "--steps " + spec + ": each step is percent:duration, e.g. 10:5m");
      }
      float percent;
      try {
        percent = Float.parseFloat(pd[0]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--steps " + spec + ": " + pd[0] + " is no percent");
      }
      if (percent <= last || percent >= 100) {
        throw new IllegalArgumentException(
            "--steps "
                + spec
                + ": percents must rise and stay below 100 (100 is making it current)");
      }
      steps.add(new RampStep(percent, Durations.parse("--steps", pd[1])));
      last = percent;
    }
    return steps;
  }
}
