package io.drainhost.support;

import io.drainhost.DrainHost;
import io.drainhost.config.ConfigLoader;
import io.drainhost.samples.Samples;
import java.util.HashMap;
import java.util.Map;

/** The real host with the sample workflows, embedded Temporal and an ephemeral HTTP port. */
public final class InProcessHost {
  private InProcessHost() {}

  public static DrainHost start(Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("DRAINHOST_PORT", "0");
    env.put("DRAINHOST_BIND", "127.0.0.1");
    env.putAll(extraEnv);
    return DrainHost.builder()
        .config(ConfigLoader.load(env))
        .registerWorkflowImplementationTypes(Samples.workflowTypes())
        .registerActivitiesImplementations(Samples.activities())
        .build()
        .start();
  }
}
