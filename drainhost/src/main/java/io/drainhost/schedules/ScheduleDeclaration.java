package io.drainhost.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.drainhost.time.Durations;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A schedule the host declares in Temporal: when it fires (a 5-field cron in a time zone, or a
 * fixed interval), which workflow it starts with which input, and what happens to fires missed
 * while Temporal or every worker was down.
 *
 * <pre>{@code
 * DrainHost.builder()
 *     .schedule(ScheduleDeclaration.cron("daily-triage", "TriageWorkflow", "20 7 * * *")
 *         .inTimeZone("Europe/Berlin")
 *         .withMisfirePolicy(MisfirePolicy.CATCHUP_LATEST)
 *         .withTolerance(Duration.ofMinutes(5)))
 * }</pre>
 *
 * @param input the workflow's input as JSON (null node: none)
 * @param tolerance how late a run may start and still count as on time
 */
public record ScheduleDeclaration(
    String id,
    String workflowType,
    JsonNode input,
    Optional<String> cron,
    Optional<Duration> every,
    String timeZone,
    MisfirePolicy misfirePolicy,
    Duration tolerance) {

  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(1);
  static final Duration MIN_EVERY = Duration.ofSeconds(1);
  static final Duration MIN_TOLERANCE = Duration.ofSeconds(1);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  public ScheduleDeclaration {
    input = input == null ? NullNode.getInstance() : input;
    timeZone = timeZone == null ? "UTC" : timeZone;
    misfirePolicy = misfirePolicy == null ? MisfirePolicy.SKIP : misfirePolicy;
    tolerance = tolerance == null ? DEFAULT_TOLERANCE : tolerance;
  }

  /** Fires at the times of a 5-field cron expression (UTC unless {@link #inTimeZone}). */
  public static ScheduleDeclaration cron(String id, String workflowType, String cron) {
    return new ScheduleDeclaration(
        id, workflowType, null, Optional.of(cron), Optional.empty(), null, null, null);
  }

  /** Fires every {@code every}, at whole multiples of it since the epoch. */
  public static ScheduleDeclaration every(String id, String workflowType, Duration every) {
    return new ScheduleDeclaration(
        id, workflowType, null, Optional.empty(), Optional.of(every), null, null, null);
  }

  public ScheduleDeclaration withInput(JsonNode newInput) {
    return new ScheduleDeclaration(
        id, workflowType, newInput, cron, every, timeZone, misfirePolicy, tolerance);
  }

  public ScheduleDeclaration inTimeZone(String zone) {
    return new ScheduleDeclaration(
        id, workflowType, input, cron, every, zone, misfirePolicy, tolerance);
  }

  public ScheduleDeclaration withMisfirePolicy(MisfirePolicy policy) {
    return new ScheduleDeclaration(
        id, workflowType, input, cron, every, timeZone, policy, tolerance);
  }

  public ScheduleDeclaration withTolerance(Duration newTolerance) {
    return new ScheduleDeclaration(
        id, workflowType, input, cron, every, timeZone, misfirePolicy, newTolerance);
  }

  /**
   * Every problem of this declaration, each naming the schedule and the field; empty when valid.
   */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    String name = "schedule '" + (id == null ? "" : id) + "'";
    if (id == null || !ID.matcher(id).matches()) {
      problems.add(name + ": id must be 1 to 200 letters, digits, '.', '_' or '-'");
    }
    if (workflowType == null || workflowType.isBlank()) {
      problems.add(name + ": workflowType is required");
    }
    if (cron.isPresent() == every.isPresent()) {
      problems.add(name + ": give exactly one of cron and every");
    }
    cron.flatMap(FireTimes::cronProblem).ifPresent(p -> problems.add(name + ": cron " + p));
    every
        .filter(e -> e.compareTo(MIN_EVERY) < 0)
        .ifPresent(e -> problems.add(name + ": every must be at least 1s"));
    every
        .filter(e -> e.toMillis() % 1000 != 0)
        .ifPresent(e -> problems.add(name + ": every must be whole seconds"));
    if (zone().isEmpty()) {
      problems.add(name + ": timeZone '" + timeZone + "' is not a known time zone");
    } else if (every.isPresent() && !"UTC".equals(timeZone)) {
      problems.add(name + ": timeZone applies to cron only; an interval is the same everywhere");
    }
    if (tolerance.compareTo(MIN_TOLERANCE) < 0) {
      problems.add(name + ": tolerance must be at least 1s");
    }
    return problems;
  }

  Optional<ZoneId> zone() {
    try {
      return Optional.of("UTC".equals(timeZone) ? ZoneOffset.UTC : ZoneId.of(timeZone));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The fire times; only for a declaration without {@link #problems()}. */
  public FireTimes fireTimes() {
    return every.isPresent()
        ? FireTimes.every(every.get())
        : FireTimes.cron(cron.orElseThrow(), zone().orElseThrow());
  }

  /** How the fire times are declared, as {@code GET /schedules} shows them. */
  public Map<String, String> spec() {
    Map<String, String> spec = new LinkedHashMap<>();
    cron.ifPresent(
        c -> {
          spec.put("cron", c);
          spec.put("timeZone", timeZone);
        });
    every.ifPresent(e -> spec.put("every", Durations.format(e)));
    return spec;
  }
}
