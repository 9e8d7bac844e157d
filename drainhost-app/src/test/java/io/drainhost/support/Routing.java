package io.drainhost.support;

import static org.awaitility.Awaitility.await;

import io.temporal.api.workflowservice.v1.SetWorkerDeploymentCurrentVersionRequest;
import io.temporal.api.workflowservice.v1.SetWorkerDeploymentRampingVersionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A Worker Deployment's routing, set as an operator sets it (namespace default), once the version
 * exists: the server knows a version only after its first poll, so each call is retried until then.
 */
public final class Routing {
  private Routing() {}

  public static void current(Histories histories, String deployment, String buildId) {
    retried(
        histories,
        buildId + " made current",
        stub ->
            stub.setWorkerDeploymentCurrentVersion(
                SetWorkerDeploymentCurrentVersionRequest.newBuilder()
                    .setNamespace("default")
                    .setDeploymentName(deployment)
                    .setBuildId(buildId)
                    .build()));
  }

  public static void ramping(
      Histories histories, String deployment, String buildId, float percent) {
    retried(
        histories,
        buildId + " ramping at " + percent + "%",
        stub ->
            stub.setWorkerDeploymentRampingVersion(
                SetWorkerDeploymentRampingVersionRequest.newBuilder()
                    .setNamespace("default")
                    .setDeploymentName(deployment)
                    .setBuildId(buildId)
                    .setPercentage(percent)
                    .build()));
  }

  private static void retried(
      Histories histories,
      String what,
      Consumer<WorkflowServiceGrpc.WorkflowServiceBlockingStub> call) {
    await(what)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              call.accept(histories.client().getWorkflowServiceStubs().blockingStub());
              return true;
            });
  }
}
