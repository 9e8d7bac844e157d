package io.drainhost.schedules;

import io.drainhost.metrics.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at each declared schedule's recent fires and the runs Temporal started for them, so that a
 * fire that did not run on time, or whose run failed, is seen without anyone asking: one WARN line
 * per such fire (once per machine, across restarts), counters and gauges, and {@code GET
 * /schedules}.
 */
final class ScheduleWatcher {
  private static final Logger log = LoggerFactory.getLogger(ScheduleWatcher.class);

  /** How far back a starting host looks for missed fires. */
  static final Duration LOOKBACK = Duration.ofHours(24);

  /** The most fires of one schedule judged per check (the newest). */
  static final int MAX_FIRES = 200;

  private final ScheduleClient schedules;
  private final WorkflowClient workflows;
  private final List<DeclaredSchedule> declared;
  private final ReportedFires reported;
  private final MeterRegistry registry;
  private final Map<String, ScheduleStatus> statuses = new ConcurrentHashMap<>();
  private final Map<String, Set<Instant>> counted = new ConcurrentHashMap<>();
  private final Map<String, Double> lastSuccess = new ConcurrentHashMap<>();
  private final Map<String, Integer> overdue = new ConcurrentHashMap<>();

  ScheduleWatcher(
      ScheduleClient schedules,
      WorkflowClient workflows,
      List<DeclaredSchedule> declared,
      ReportedFires reported,
      MeterRegistry registry) {
    this.schedules = schedules;
    this.workflows = workflows;
    this.declared = declared;
    this.reported = reported;
    this.registry = registry;
    for (DeclaredSchedule s : declared) {
      statuses.put(s.id(), ScheduleStatus.unchecked(s.declaration(), "ok"));
      lastSuccess.put(s.id(), Double.NaN);
      overdue.put(s.id(), 0);
      Gauge.builder(MeterNames.SCHEDULE_OVERDUE, overdue, m -> m.get(s.id()))
          .tag("schedule", s.id())
          .description("1 while the schedule has no successful run within an interval + tolerance")
          .register(registry);
      Gauge.builder(MeterNames.SCHEDULE_LAST_SUCCESS, lastSuccess, m -> m.get(s.id()))
          .tag("schedule", s.id())
          .description("epoch seconds of the schedule's latest successful run")
          .register(registry);
      missedCounter(s.id());
    }
  }

  private Counter missedCounter(String id) {
    return Counter.builder(MeterNames.SCHEDULE_MISSED_FIRES)
        .tag("schedule", id)
        .description("fires that did not run on time (skipped, dropped, or caught up late)")
        .register(registry);
  }

  List<ScheduleStatus> statuses() {
    return declared.stream().map(s -> statuses.get(s.id())).toList();
  }

  /** Checks every schedule now; throws when Temporal fails (the caller decides what that means). */
  void checkAll() {
    for (DeclaredSchedule s : declared) {
      check(s);
    }
  }

  private void check(DeclaredSchedule s) {
    ScheduleDescription d = schedules.getHandle(s.id()).describe();
    Instant now = Instant.now();
    Instant created = d.getInfo().getCreatedAt();
    Instant from =
        created != null && created.isAfter(now.minus(LOOKBACK)) ? created : now.minus(LOOKBACK);
    List<Instant> fires = s.fireTimes().between(from, now, MAX_FIRES);
    Map<Instant, ScheduledRun> runs =
        fires.isEmpty() ? Map.of() : s.runsSince(workflows, fires.get(0), MAX_FIRES * 2L);
    FireCheck.Result r =
        FireCheck.judge(s, fires, runs, d.getSchedule().getState().isPaused(), now);
    List<Instant> next = d.getInfo().getNextActionTimes();
    statuses.put(
        s.id(),
        new ScheduleStatus(
            s.id(),
            s.declaration().workflowType(),
            s.declaration().spec(),
            s.declaration().misfirePolicy().wireName(),
            r.state(),
            r.lastFire(),
            r.lastSuccess(),
            next == null || next.isEmpty() ? null : next.get(0),
            r.missed().size()));
    overdue.put(s.id(), "overdue".equals(r.state()) ? 1 : 0);
    lastSuccess.put(
        s.id(), r.lastSuccess() == null ? Double.NaN : r.lastSuccess().getEpochSecond());
    report(s, r, runs);
  }

  /** Counts each missed fire once per process and warns once per fire on this machine. */
  private void report(DeclaredSchedule s, FireCheck.Result r, Map<Instant, ScheduledRun> runs) {
    Set<Instant> seen = counted.computeIfAbsent(s.id(), k -> ConcurrentHashMap.newKeySet());
    for (Instant fire : r.missed()) {
      if (seen.add(fire)) {
        missedCounter(s.id()).increment();
      }
      if (reported.firstReport(s.id(), "missed " + fire)) {
        log.warn(
            "scheduled fire missed: schedule={} fire={} policy={} tolerance={} what={}",
            s.id(),
            fire,
            s.declaration().misfirePolicy().wireName(),
            s.declaration().tolerance(),
            whatHappened(runs.get(fire)));
      }
    }
    for (Instant fire : r.failed()) {
      if (reported.firstReport(s.id(), "failed " + fire)) {
        log.warn(
            "scheduled run failed: schedule={} fire={} workflowId={}",
            s.id(),
            fire,
            s.workflowIdOf(fire));
      }
    }
    if (seen.size() > MAX_FIRES * 2) {
      Set<Instant> keep = new HashSet<>(r.missed());
      seen.retainAll(keep);
    }
  }

  private static String whatHappened(ScheduledRun run) {
    if (run == null) {
      return "no run started (Temporal was down, the catch-up window passed, or an earlier run"
          + " still ran)";
    }
    if (run.verdict() == FireVerdict.SKIPPED) {
      return "run started late and skipped itself";
    }
    if (run.verdict() == FireVerdict.LATE) {
      return "run started late and caught up";
    }
    return "run started but no worker has begun it";
  }

  static Map<String, Object> json(ScheduleStatus st) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", st.id());
    m.put("workflowType", st.workflowType());
    m.put("spec", st.spec());
    m.put("misfirePolicy", st.misfirePolicy());
    m.put("state", st.state());
    m.put("lastFire", text(st.lastFire()));
    m.put("lastSuccess", text(st.lastSuccess()));
    m.put("nextFire", text(st.nextFire()));
    m.put("missedFires", st.missedFires());
    return m;
  }

  private static String text(Instant t) {
    return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t);
  }
}
