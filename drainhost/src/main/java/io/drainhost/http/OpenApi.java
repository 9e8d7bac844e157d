package io.drainhost.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drainhost.workflows.WorkflowTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The OpenAPI 3 description of the HTTP API: the jar's {@code openapi.json}, completed with what
 * only the running host knows (its workflow types, its declared schedule ids), so that a client or
 * a fuzzer generates requests this host can act on.
 */
final class OpenApi {
  private static final String RESOURCE = "/io/drainhost/http/openapi.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenApi() {}

  /**
   * The description of one server: only the routes {@code served} has. Throws when a route of the
   * table has no description in {@code openapi.json}.
   */
  static String document(
      WorkflowTypes workflowTypes, Collection<String> scheduleIds, RouteTable served) {
    try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      ObjectNode doc = (ObjectNode) JSON.readTree(in);
      ObjectNode paths = (ObjectNode) doc.get("paths");
      for (RouteTable.Route r : served.routes()) {
        String method = r.method().name().toLowerCase(java.util.Locale.ROOT);
        if (!paths.path(r.template()).has(method)) {
          throw new IllegalStateException(
              "the route "
                  + r.method()
                  + " "
                  + r.template()
                  + " has no description in "
                  + RESOURCE);
        }
      }
      List<String> templates = new ArrayList<>();
      paths.fieldNames().forEachRemaining(templates::add);
      for (String template : templates) {
        ObjectNode item = (ObjectNode) paths.get(template);
        List<String> methods = new ArrayList<>();
        item.fieldNames().forEachRemaining(methods::add);
        methods.stream().filter(m -> !served.has(template, m)).forEach(item::remove);
        if (item.isEmpty()) {
          paths.remove(template);
        }
      }
      if (paths.has("/executions")) {
        StartRequests.describe((ObjectNode) doc.at("/components/schemas"), workflowTypes);
      }
      if (paths.has("/executions/{workflowId}")) {
        ObjectNode get = (ObjectNode) doc.at("/paths/~1executions~1{workflowId}/get");
        ((ObjectNode) get.at("/parameters/0")).set("schema", StartRequests.workflowIdInPath());
        ((ObjectNode) get.at("/parameters/1")).set("schema", ExecutionRoutes.WAIT);
      }
      if (!scheduleIds.isEmpty() && paths.has("/schedules/{id}/backfill")) {
        enumerate(
            (ObjectNode) doc.at("/paths/~1schedules~1{id}~1backfill/post/parameters/0/schema"),
            scheduleIds);
      }
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void enumerate(ObjectNode schema, Collection<String> values) {
    ArrayNode list = schema.putArray("enum");
    values.forEach(list::add);
  }
}
