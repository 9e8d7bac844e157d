package io.drainhost.versioning;

import io.drainhost.config.Versioning;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Temporal last said of this host's Worker Deployment Version.
 *
 * @param status {@code current}, {@code ramping}, {@code draining}, {@code drained}, {@code
 *     inactive}, or {@code unknown} while Temporal does not answer
 * @param rampPercentage the share of new work this version gets while ramping, else 0
 */
public record VersionStatus(Versioning.Version version, String status, float rampPercentage) {
  public static final String UNKNOWN = "unknown";

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", version.deploymentName());
    m.put("buildId", version.buildId());
    m.put("status", status);
    m.put("rampPercentage", rampPercentage);
    return m;
  }
}
