package io.drainhost.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The ECS agent's task scale-in protection endpoint ({@code PUT
 * $ECS_AGENT_URI/task-protection/v1/state}). Through {@link HttpURLConnection} for the reason
 * {@link TaskMetadataWatcher} gives; short timeouts, because an agent that hangs must not hold the
 * caller.
 */
public final class TaskProtectionAgent {
  private final URI stateUri;
  private final ObjectMapper json = new ObjectMapper();

  public TaskProtectionAgent(URI agentUri) {
    String base = agentUri.toString();
    this.stateUri =
        URI.create((base.endsWith("/") ? base : base + "/") + "task-protection/v1/state");
  }

  public URI stateUri() {
    return stateUri;
  }

  /** Protects the task for {@code expiresInMinutes} (1..2880), or removes its protection. */
  public void set(boolean enabled, int expiresInMinutes) throws IOException {
    String body =
        enabled
            ? "{\"ProtectionEnabled\":true,\"ExpiresInMinutes\":" + expiresInMinutes + "}"
            : "{\"ProtectionEnabled\":false}";
    HttpURLConnection c = (HttpURLConnection) stateUri.toURL().openConnection();
    c.setConnectTimeout(1000);
    c.setReadTimeout(2000);
    c.setRequestMethod("PUT");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    try {
      try (OutputStream out = c.getOutputStream()) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      }
      int status = c.getResponseCode();
      if (status / 100 != 2) {
        throw new IOException("HTTP " + status + " " + errorOf(c.getErrorStream()));
      }
      try (InputStream in = c.getInputStream()) {
        // The agent reports a refusal it could not act on as a "failure" in a 200 answer.
        JsonNode answer = json.readTree(in);
        if (answer != null && answer.hasNonNull("failure")) {
          throw new IOException("refused: " + answer.get("failure"));
        }
      }
    } finally {
      c.disconnect();
    }
  }

  private String errorOf(InputStream in) {
    if (in == null) {
      return "";
    }
    try (in) {
      String text = new String(in.readNBytes(512), StandardCharsets.UTF_8);
      return text.replaceAll("\\s+", " ").strip();
    } catch (IOException e) {
      return "";
    }
  }
}
