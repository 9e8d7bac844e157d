package io.drainhost.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drainhost.workflows.WorkflowTypes;
import java.util.Optional;

/**
 * The schemas of a {@code POST /executions} body, one per registered workflow type: what {@code
 * /openapi.json} publishes and what {@link ExecutionRoutes} checks, from the same objects.
 */
final class StartRequests {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * {@code workflowId}: Temporal's id limit, something besides whitespace, and no control character
   * (an id with one could not be named in a URL path: the HTTP server refuses {@code %00}). One
   * pattern, so that a generator need not reconcile two.
   */
  static final ObjectNode WORKFLOW_ID = workflowId();

  private StartRequests() {}

  private static ObjectNode workflowId() {
    ObjectNode s = NODES.objectNode();
    s.put("type", "string");
    s.put("minLength", 1);
    s.put("maxLength", ExecutionRoutes.MAX_WORKFLOW_ID_LENGTH);
    s.put(
        "pattern",
        "^[^\\u0000-\\u001F\\u007F]*[^\\u0000-\\u0020\\u007F][^\\u0000-\\u001F\\u007F]*$");
    s.put("description", "must have a character besides whitespace and no control characters");
    return s;
  }

  /**
   * The {@code workflowId} a path names: the same pattern, no length bounds (an id no execution can
   * have is a 404, and a URI too long to read a 414).
   */
  static ObjectNode workflowIdInPath() {
    ObjectNode s = WORKFLOW_ID.deepCopy();
    s.remove("minLength");
    s.remove("maxLength");
    return s;
  }

  /**
   * {@code StartRequest} as a {@code oneOf} over the types, told apart by {@code workflowType},
   * each with its input's schema; the generic schema stays when no workflow type is registered.
   */
  static void describe(ObjectNode schemas, WorkflowTypes types) {
    if (types.names().isEmpty()) {
      return;
    }
    ObjectNode request = schemas.putObject("StartRequest");
    request.put(
        "description",
        "a start of one of the workflow types registered on this host; its input as that type's"
            + " workflow method takes it (one value, or an array of one value per parameter), never"
            + " coerced. workflowId is generated when absent; starts are idempotent: an id that"
            + " exists answers 409. A real Temporal server counts workflowId's 1000 in UTF-8"
            + " bytes");
    ArrayNode oneOf = request.putArray("oneOf");
    ObjectNode discriminator = request.putObject("discriminator");
    discriminator.put("propertyName", "workflowType");
    ObjectNode mapping = discriminator.putObject("mapping");
    for (String name : types.names()) {
      String component = "Start." + name.replaceAll("[^A-Za-z0-9._-]", "_");
      String ref = "#/components/schemas/" + component;
      schemas.set(component, start(name, types.inputSchema(name)));
      oneOf.addObject().put("$ref", ref);
      mapping.put(name, ref);
    }
  }

  private static ObjectNode start(String type, Optional<ObjectNode> input) {
    ObjectNode s = NODES.objectNode();
    s.put("type", "object");
    s.put("additionalProperties", false);
    ArrayNode required = s.putArray("required").add("workflowType");
    ObjectNode properties = s.putObject("properties");
    properties.putObject("workflowType").put("type", "string").putArray("enum").add(type);
    properties.set("workflowId", WORKFLOW_ID);
    input.ifPresent(
        schema -> {
          properties.set("input", schema);
          required.add("input");
        });
    return s;
  }
}
