package io.drainhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.drainhost.config.ConfigException;
import io.drainhost.config.HostConfig;
import io.drainhost.config.Versioning;
import io.temporal.common.VersioningBehavior;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.temporal.workflow.WorkflowVersioningBehavior;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VersioningAnnotationsTest {
  @WorkflowInterface
  public interface Pinned {
    @WorkflowMethod
    void run();
  }

  public static class PinnedImpl implements Pinned {
    @Override
    @WorkflowVersioningBehavior(VersioningBehavior.PINNED)
    public void run() {}
  }

  @Test
  void anAnnotatedTypeWithoutVersioningIsRefusedAtStartupNamingTheType() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                DrainHost.builder()
                    .config(HostConfig.defaults())
                    .registerWorkflowImplementationTypes(PinnedImpl.class)
                    .build());
    assertEquals(
        List.of(
            "DRAINHOST_DEPLOYMENT_NAME is unset, but workflow type Pinned carries"
                + " @WorkflowVersioningBehavior(pinned): Temporal rejects every workflow task of it"
                + " from an unversioned worker; set DRAINHOST_DEPLOYMENT_NAME or remove the"
                + " annotation"),
        e.problems());
  }

  @Test
  void withVersioningTheAnnotatedTypeIsWelcome() {
    HostConfig versioned =
        HostConfig.defaults()
            .withVersioning(
                new Versioning(
                    Optional.of("orders"), Optional.of("1"), Versioning.Behavior.AUTO_UPGRADE));
    DrainHost.builder()
        .config(versioned)
        .registerWorkflowImplementationTypes(PinnedImpl.class)
        .build();
  }
}
