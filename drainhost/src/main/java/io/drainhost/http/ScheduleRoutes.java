package io.drainhost.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.drainhost.schedules.Schedules;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code GET /schedules} and {@code POST /schedules/{id}/backfill}. */
final class ScheduleRoutes {
  private static final Set<String> BACKFILL_FIELDS = Set.of("from", "to");

  private final Schedules schedules;
  private final RequestBodies bodies;
  private final TemporalCalls calls;

  ScheduleRoutes(Schedules schedules, RequestBodies bodies, TemporalCalls calls) {
    this.schedules = schedules;
    this.bodies = bodies;
    this.calls = calls;
  }

  void list(Context ctx) {
    if (schedules.isEmpty() || schedules.unsupported()) {
      // Nothing to ask Temporal: the declarations alone answer.
      ctx.json(
          Map.of("schedules", schedules.isEmpty() ? java.util.List.of() : schedules.statusesNow()));
      return;
    }
    ctx.future(
        () -> calls.call(schedules::statusesNow).thenAccept(s -> ctx.json(Map.of("schedules", s))));
  }

  void backfill(Context ctx) {
    String id = ctx.pathParam("id");
    if (!schedules.declares(id)) {
      throw new ApiError(404, "not_found", "no schedule with this id is declared on this host");
    }
    RequestBodies.requireJson(ctx.contentType());
    JsonNode body = bodies.readJson(ctx);
    if (!body.isObject()) {
      throw ApiError.badRequest("invalid_request", "the request body must be a JSON object");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!BACKFILL_FIELDS.contains(name)) {
        throw ApiError.badRequest(
            "invalid_request",
            "unknown field '" + RequestBodies.truncate(name) + "'; a backfill takes from and to");
      }
    }
    Instant from = instant(body, "from");
    Instant to = instant(body, "to");
    if (!from.isBefore(to)) {
      throw ApiError.badRequest("invalid_request", "from must be before to");
    }
    if (to.isAfter(Instant.now())) {
      throw ApiError.badRequest(
          "invalid_request", "to must not be in the future: a backfill runs past fires");
    }
    int max = Schedules.maxBackfillFires();
    if (schedules.fires(id, from, to, max + 1).size() > max) {
      throw ApiError.badRequest(
          "invalid_request", "the range holds more than " + max + " fires; backfill a smaller one");
    }
    if (schedules.unsupported()) {
      // Not a 503: retrying cannot help, the schedule does not exist in this Temporal.
      throw new ApiError(
          404,
          "not_found",
          "schedule '"
              + id
              + "' is declared but not running: this Temporal server has no Schedules API (the"
              + " embedded Java test server has none)");
    }
    ctx.future(
        () ->
            calls
                .call(() -> schedules.backfill(id, from, to))
                .thenAccept(
                    started -> {
                      Map<String, Object> out = new LinkedHashMap<>();
                      out.put("id", id);
                      out.put("fires", started);
                      ctx.status(202).json(out);
                    }));
  }

  private static Instant instant(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw ApiError.badRequest("invalid_request", field + " is required");
    }
    if (!v.isTextual()) {
      throw ApiError.badRequest(
          "invalid_request", field + " must be an ISO-8601 instant such as 2026-11-25T07:20:00Z");
    }
    try {
      return OffsetDateTime.parse(v.asText()).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest(
          "invalid_request", field + " must be an ISO-8601 instant such as 2026-11-25T07:20:00Z");
    }
  }
}
