package io.drainhost.config;

import io.temporal.envconfig.ClientConfigProfile;
import java.util.Optional;

/**
 * Where Temporal is: an address from Temporal's standard environment configuration, or none, which
 * means the embedded in-memory server. {@link #toString()} never shows the API key.
 */
public final class TemporalTarget {
  private final ClientConfigProfile profile;

  TemporalTarget(ClientConfigProfile profile) {
    this.profile = profile;
  }

  /** The remote address, or empty for the embedded server. */
  public Optional<String> address() {
    String address = profile.getAddress();
    return address == null || address.isBlank() ? Optional.empty() : Optional.of(address.trim());
  }

  public boolean embedded() {
    return address().isEmpty();
  }

  public String namespace() {
    String ns = profile.getNamespace();
    return ns == null || ns.isBlank() ? "default" : ns;
  }

  public boolean hasApiKey() {
    return profile.getApiKey() != null && !profile.getApiKey().isEmpty();
  }

  public boolean tls() {
    return profile.getTls() != null
        && (profile.getTls().isDisabled() == null || !profile.getTls().isDisabled());
  }

  /** TLS explicitly off ({@code TEMPORAL_TLS=false}, or {@code disabled} in the profile). */
  public boolean tlsDisabled() {
    return profile.getTls() != null && Boolean.TRUE.equals(profile.getTls().isDisabled());
  }

  /**
   * The loaded profile, for building service stubs. Never log it: its toString shows the API key.
   */
  public ClientConfigProfile profile() {
    return profile;
  }

  @Override
  public String toString() {
    return address().map(a -> "address=" + a).orElse("address=embedded")
        + " namespace="
        + namespace()
        + " apiKey="
        + (hasApiKey() ? "set" : "unset")
        + " tls="
        + (!tlsDisabled() && (tls() || hasApiKey()));
  }
}
