package io.drainhost.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.input.SchemaCheck;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** Reads a JSON request body within the size limit, before anything else looks at it. */
final class RequestBodies {
  private final ObjectMapper mapper;
  private final long maxBytes;

  RequestBodies(ObjectMapper mapper, long maxBytes) {
    this.mapper = mapper;
    this.maxBytes = maxBytes;
  }

  JsonNode readJson(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge();
    }
    byte[] body = readLimited(ctx);
    if (body.length == 0) {
      throw ApiError.badRequest("invalid_json", "the request body is empty; send a JSON object");
    }
    JsonNode json;
    try {
      json = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      // Without a location (e.g. nesting deeper than the parser allows) the message says less.
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      throw ApiError.badRequest("invalid_json", "the request body is not valid JSON" + where);
    } catch (IOException e) {
      throw ApiError.badRequest("invalid_json", "the request body could not be read");
    }
    requireFinite(json);
    return json;
  }

  /**
   * JSON has no Infinity or NaN, but a literal past a double's range ({@code 1e400}) parses as
   * Infinity: refused wherever it is, as what the sender meant cannot be kept.
   */
  private static void requireFinite(JsonNode node) {
    java.util.ArrayDeque<JsonNode> todo = new java.util.ArrayDeque<>();
    todo.push(node);
    while (!todo.isEmpty()) {
      JsonNode n = todo.pop();
      if (!SchemaCheck.finite(n)) {
        throw ApiError.badRequest(
            "invalid_request",
            "a number in the body is out of range (" + n.asText() + "): numbers must be finite");
      }
      if (n.isContainerNode()) {
        n.elements().forEachRemaining(todo::push);
      }
    }
  }

  private byte[] readLimited(Context ctx) {
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) {
        throw tooLarge();
      }
      return bytes;
    } catch (IOException e) {
      throw ApiError.badRequest("invalid_request", "the request body could not be read");
    }
  }

  private ApiError tooLarge() {
    return new ApiError(
        413,
        "payload_too_large",
        "the request body is larger than DRAINHOST_MAX_BODY_BYTES=" + maxBytes + " bytes");
  }

  /**
   * A body must be declared JSON: a form post from {@code curl -d} without {@code -H 'Content-Type:
   * application/json'} is refused, and so is a body with no type, which a page of another site can
   * send without the browser asking this host first (no CORS preflight).
   */
  static void requireJson(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      throw new ApiError(
          415,
          "unsupported_media_type",
          "the body must be JSON, declared so: send Content-Type: application/json");
    }
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
      throw new ApiError(
          415,
          "unsupported_media_type",
          "the body must be JSON (Content-Type: application/json), not " + truncate(mediaType));
    }
  }

  /** A client's text quoted back in an error message, cut at 100 characters. */
  static String truncate(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "…" : s;
  }
}
