package io.drainhost.deploy.activity;

import io.drainhost.deploy.DeployException;
import io.drainhost.deploy.aws.AwsCallFailures;
import io.drainhost.deploy.temporal.TemporalCallFailures;
import io.grpc.StatusRuntimeException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An activity's exception as the failure the workflow reads: its type says the exit code, its
 * message is the line the command prints, as the command would have printed it in-process. What a
 * retry cannot fix (a refusal, a typo, a policy that does not allow a call) is not retried.
 */
public final class ActivityFailures {
  /** Refused before any change: exit 2. */
  public static final String USAGE = "usage";

  /** Refused on evidence: exit 3. */
  public static final String REFUSED = "refused";

  /** An endpoint failed: exit 1. */
  public static final String UNAVAILABLE = "unavailable";

  private ActivityFailures() {}

  /**
   * @param temporalScope where Temporal is, for a failed call's line
   * @param printed what the activity printed before it failed: the failure carries it
   */
  public static ApplicationFailure of(
      RuntimeException e, String temporalScope, List<String> printed) {
    if (e instanceof ApplicationFailure a) {
      return a;
    }
    Object details = printed.toArray(new String[0]);
    if (e instanceof DeployException d) {
      String type =
          d.exitCode == DeployException.USAGE
              ? USAGE
              : d.exitCode == DeployException.REFUSED ? REFUSED : UNAVAILABLE;
      return type.equals(UNAVAILABLE)
          ? ApplicationFailure.newFailure(d.getMessage(), type, details)
          : ApplicationFailure.newNonRetryableFailure(d.getMessage(), type, details);
    }
    if (e instanceof IllegalArgumentException) {
      return ApplicationFailure.newNonRetryableFailure(e.getMessage(), USAGE, details);
    }
    if (e instanceof SdkException) {
      String line = AwsCallFailures.describe(e);
      return AwsCallFailures.accessDenied(e)
          ? ApplicationFailure.newNonRetryableFailure(line, UNAVAILABLE, details)
          : ApplicationFailure.newFailure(line, UNAVAILABLE, details);
    }
    if (e instanceof StatusRuntimeException s) {
      return ApplicationFailure.newFailure(
          TemporalCallFailures.describe(temporalScope, s)
              + ": if the deployment changed under this run (another run?), re-run it",
          UNAVAILABLE,
          details);
    }
    return ApplicationFailure.newFailure(String.valueOf(e), UNAVAILABLE, details);
  }
}
