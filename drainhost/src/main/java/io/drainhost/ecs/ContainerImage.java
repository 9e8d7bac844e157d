package io.drainhost.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drainhost.config.ConfigException;
import io.drainhost.config.ConfigLoader;
import io.drainhost.config.HostConfig;
import io.drainhost.config.Versioning;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This container's image, from the ECS task metadata endpoint (v4, {@code
 * ECS_CONTAINER_METADATA_URI_V4} itself answers with the container's own metadata): a build id for
 * Worker Versioning when none is configured.
 */
public final class ContainerImage {
  private static final Logger log = LoggerFactory.getLogger(ContainerImage.class);

  private ContainerImage() {}

  /**
   * The configuration with its build id: unchanged unless it has a deployment name and no build id,
   * when the build id is this container's image, read from the ECS task metadata now (at the host's
   * start; loading the configuration makes no network call). Throws {@link ConfigException} when
   * the metadata names no image, or one Temporal cannot use as a build id.
   */
  public static HostConfig withBuildId(HostConfig config) {
    Versioning v = config.versioning();
    if (!v.buildIdFromTaskMetadata()) {
      return config;
    }
    String name = v.deploymentName().orElseThrow();
    Optional<String> id = config.ecsMetadataUri().flatMap(ContainerImage::buildId);
    if (id.isEmpty()) {
      throw new ConfigException(List.of(ConfigLoader.noBuildId(name, true)));
    }
    List<String> problems = Versioning.problems(name, id.get());
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    log.info("build id from the task metadata (the container's image): buildId={}", id.get());
    return config.withVersioning(v.withBuildId(id.get()));
  }

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
