package io.drainhost.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bearer token that guards the API ({@code DRAINHOST_API_TOKEN} or {@code
 * DRAINHOST_API_TOKEN_FILE}). A secret: {@link #toString()} never shows it, and a presented token
 * is compared in constant time (digests of both, so neither content nor length leaks by timing).
 */
public final class ApiToken {
  private final byte[] digest;

  ApiToken(String secret) {
    this.digest = sha256(secret);
  }

  public boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(digest, sha256(presented));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "set";
  }
}
