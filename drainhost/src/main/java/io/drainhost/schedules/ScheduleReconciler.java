package io.drainhost.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import io.temporal.common.converter.EncodedValues;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Temporal hold the declared schedules: creates the missing ones, updates the ones whose
 * declaration changed, leaves undeclared schedules alone. Safe when several hosts do it at once: a
 * create that loses the race finds the winner's schedule, and updates to the same declaration
 * change nothing.
 */
final class ScheduleReconciler {
  private static final Logger log = LoggerFactory.getLogger(ScheduleReconciler.class);

  /** Memo key on the schedule's action: the fingerprint of the declaration it was made from. */
  static final String DECLARATION_MEMO = "drainhostDeclaration";

  /**
   * Changes whenever the way a declaration becomes a Temporal schedule changes, so that hosts of a
   * new version update the schedules older ones made.
   */
  private static final String MAPPING_VERSION = "2";

  private final ScheduleClient client;
  private final List<DeclaredSchedule> schedules;

  ScheduleReconciler(ScheduleClient client, List<DeclaredSchedule> schedules) {
    this.client = client;
    this.schedules = schedules;
  }

  /**
   * Reconciles every declaration; false when the server has no Schedules API. Throws when Temporal
   * fails otherwise (the next connect tries again).
   */
  boolean reconcile() {
    for (DeclaredSchedule s : schedules) {
      try {
        reconcile(s);
      } catch (RuntimeException e) {
        if (code(e) == Status.Code.UNIMPLEMENTED) {
          return false;
        }
        throw e;
      }
    }
    return true;
  }

  private void reconcile(DeclaredSchedule s) {
    Optional<ScheduleDescription> existing = describe(s.id());
    if (existing.isEmpty()) {
      try {
        client.createSchedule(s.id(), schedule(s, false), ScheduleOptions.newBuilder().build());
        log.info("schedule created: id={} spec={}", s.id(), s.declaration().spec());
        return;
      } catch (ScheduleAlreadyRunningException e) {
        // Another host created it a moment ago; compare with what it created.
        existing = describe(s.id());
        if (existing.isEmpty()) {
          throw e;
        }
      }
    }
    if (s.fingerprint().equals(fingerprintOf(existing.get()).orElse(""))) {
      log.debug("schedule up to date: id={}", s.id());
      return;
    }
    client
        .getHandle(s.id())
        .update(
            input ->
                new ScheduleUpdate(
                    schedule(s, input.getDescription().getSchedule().getState().isPaused())));
    log.info("schedule updated to its declaration: id={} spec={}", s.id(), s.declaration().spec());
  }

  private Optional<ScheduleDescription> describe(String id) {
    try {
      return Optional.of(client.getHandle(id).describe());
    } catch (RuntimeException e) {
      if (code(e) == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static Optional<String> fingerprintOf(ScheduleDescription d) {
    if (!(d.getSchedule().getAction() instanceof ScheduleActionStartWorkflow action)) {
      return Optional.empty();
    }
    Map<String, Object> memo = action.getOptions().getMemo();
    Object v = memo == null ? null : memo.get(DECLARATION_MEMO);
    return v instanceof EncodedValues encoded
        ? Optional.ofNullable(encoded.get(0, String.class))
        : Optional.empty();
  }

  /**
   * The Temporal schedule for a declaration; the workflow ids are the schedule id plus the fire.
   */
  private static Schedule schedule(DeclaredSchedule s, boolean paused) {
    ScheduleDeclaration d = s.declaration();
    ScheduleSpec.Builder spec = ScheduleSpec.newBuilder();
    d.cron().ifPresent(c -> spec.setCronExpressions(List.of(c)).setTimeZoneName(d.timeZone()));
    d.every().ifPresent(e -> spec.setIntervals(List.of(new ScheduleIntervalSpec(e))));
    return Schedule.newBuilder()
        .setAction(
            ScheduleActionStartWorkflow.newBuilder()
                .setWorkflowType(d.workflowType())
                .setArguments(s.arguments())
                .setOptions(
                    WorkflowOptions.newBuilder()
                        .setWorkflowId(d.id())
                        .setTaskQueue(s.taskQueue())
                        .setMemo(Map.of(DECLARATION_MEMO, s.fingerprint()))
                        .build())
                .build())
        .setSpec(spec.build())
        .setPolicy(
            SchedulePolicy.newBuilder()
                .setOverlap(d.misfirePolicy().overlap())
                .setCatchupWindow(d.misfirePolicy().catchupWindow(d.tolerance()))
                .setPauseOnFailure(false)
                .build())
        .setState(
            ScheduleState.newBuilder().setPaused(paused).setNote("declared by drainhost").build())
        .build();
  }

  static String fingerprint(ScheduleDeclaration d, String taskQueue) {
    String canonical =
        String.join(
            "\n",
            MAPPING_VERSION,
            d.id(),
            d.workflowType(),
            d.input().toString(),
            d.cron().orElse(""),
            d.every().map(Object::toString).orElse(""),
            d.timeZone(),
            d.misfirePolicy().wireName(),
            d.tolerance().toString(),
            taskQueue);
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  static Status.Code code(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException sre) {
        return sre.getStatus().getCode();
      }
    }
    return null;
  }

  /**
   * The declared input as the workflow method's arguments; the SDK's JSON converter writes nodes as
   * they are.
   */
  static Object[] arguments(JsonNode input, int parameters) {
    if (parameters == 0) {
      return new Object[0];
    }
    if (parameters == 1) {
      return new Object[] {input};
    }
    Object[] args = new Object[parameters];
    for (int i = 0; i < parameters; i++) {
      args[i] = input.get(i);
    }
    return args;
  }
}
