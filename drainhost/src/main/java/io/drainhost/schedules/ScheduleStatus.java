package io.drainhost.schedules;

import java.time.Instant;
import java.util.Map;

/**
 * What {@code GET /schedules} shows for one schedule.
 *
 * @param state {@code ok}, {@code overdue}, {@code failing}, {@code paused} or {@code unsupported}
 * @param lastSuccess when the latest successful run closed
 * @param missedFires fires in the watched window that did not run on time
 */
public record ScheduleStatus(
    String id,
    String workflowType,
    Map<String, String> spec,
    String misfirePolicy,
    String state,
    Instant lastFire,
    Instant lastSuccess,
    Instant nextFire,
    int missedFires) {

  static ScheduleStatus unchecked(ScheduleDeclaration d, String state) {
    return new ScheduleStatus(
        d.id(),
        d.workflowType(),
        d.spec(),
        d.misfirePolicy().wireName(),
        state,
        null,
        null,
        null,
        0);
  }
}
