package io.drainhost.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Optional;

/**
 * This container's image, from the ECS task metadata endpoint (v4, {@code
 * ECS_CONTAINER_METADATA_URI_V4} itself answers with the container's own metadata): a build id for
 * Worker Versioning when none is configured.
 */
public final class ContainerImage {
  private ContainerImage() {}

  /**
   * The image digest without its algorithm ({@code ImageID} {@code sha256:ab12…} gives {@code
   * ab12…}), else the image's tag ({@code repo/app:1.4.2} gives {@code 1.4.2}); empty when the
   * endpoint does not answer or names neither.
   */
  public static Optional<String> buildId(URI containerMetadata) {
    JsonNode container;
    try {
      container = read(containerMetadata);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    String digest = container.path("ImageID").asText("");
    if (!digest.isBlank()) {
      return Optional.of(digest.substring(digest.indexOf(':') + 1));
    }
    String image = container.path("Image").asText("");
    int at = image.indexOf('@');
    if (at >= 0) {
      String d = image.substring(at + 1);
      return Optional.of(d.substring(d.indexOf(':') + 1));
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash && colon < image.length() - 1
        ? Optional.of(image.substring(colon + 1))
        : Optional.empty();
  }

  private static JsonNode read(URI uri) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    c.setConnectTimeout(1000);
    c.setReadTimeout(2000);
    try {
      if (c.getResponseCode() != 200) {
        throw new IOException("HTTP " + c.getResponseCode());
      }
      try (InputStream in = c.getInputStream()) {
        return new ObjectMapper().readTree(in);
      }
    } finally {
      c.disconnect();
    }
  }
}
