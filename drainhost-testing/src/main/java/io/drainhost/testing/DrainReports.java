package io.drainhost.testing;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbers from a host's {@code drain report:} log line: its fields ({@code handedOff=}, {@code
 * handoffRetries=}, …) and its steps ({@code stepsMs={…, unwind=12, …}}).
 */
public final class DrainReports {
  private DrainReports() {}

  /**
   * The first {@code name=<number>} in the report whose name stands alone ({@code handedOff} never
   * reads {@code handedOffEarly}'s number); empty when the report has none.
   */
  public static OptionalLong number(String report, String name) {
    Matcher m = Pattern.compile("(?<![A-Za-z_])" + Pattern.quote(name) + "=(\\d+)").matcher(report);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }
}
