package io.drainhost.deploy.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A version's ECS service name: readable (the deployment and the start of the build id) and unique
 * per deployment and build id (a hash of both): two build ids that share their first characters,
 * {@code release-2024-06-01} and {@code release-2024-06-02}, never share a service. ECS allows
 * letters, digits, hyphens and underscores, 255 at most, unique in a cluster.
 */
public final class ServiceNames {
  static final int BUILD_ID_CHARS = 24;
  static final int HASH_CHARS = 10;

  private ServiceNames() {}

  public static String of(String deployment, String buildId) {
    String build =
        buildId.length() > BUILD_ID_CHARS ? buildId.substring(0, BUILD_ID_CHARS) : buildId;
    String prefix = safe(deployment);
    int room = 255 - 2 - HASH_CHARS - safe(build).length();
    if (prefix.length() > room) {
      prefix = prefix.substring(0, room);
    }
    return prefix + "-" + safe(build) + "-" + hash(deployment + ":" + buildId);
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9_-]", "-");
  }

  private static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
