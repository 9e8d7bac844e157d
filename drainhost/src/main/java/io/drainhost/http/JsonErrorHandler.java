package io.drainhost.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches a route (headers too large, a malformed
 * request line, …), in the same JSON shape as every other error, and never with a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    String reason = HttpStatus.getMessage(code);
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(new ErrorBody(errorCode(code, reason), reason));
    } catch (JsonProcessingException e) {
      body = new byte[0];
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  static String errorCode(int code, String reason) {
    if (code == 413) {
      return "payload_too_large";
    }
    if (code == 505) {
      return "http_version_not_supported";
    }
    if (code >= 500) {
      return "internal_error";
    }
    return reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
  }
}
