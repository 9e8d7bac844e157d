package io.drainhost.deploy.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Remembers the last AWS call that failed, by service, operation and endpoint, so that the line a
 * failure prints says where: the SDK's own message for a name that does not resolve is "See cause
 * for the exact endpoint", and a pipeline's log shows no cause.
 */
public final class AwsCallFailures implements ExecutionInterceptor {
  private static volatile String last = "";
  private static volatile String lastAction = "";

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    String endpoint =
        context
            .httpRequest()
            .map(r -> r.protocol() + "://" + r.host() + (r.port() > 0 ? ":" + r.port() : ""))
            .orElse("(no request was made)");
    last = "AWS " + service + " " + operation + " at " + endpoint;
    lastAction = iamPrefix(service) + ":" + operation;
  }

  /** The service as IAM names its actions ({@code Ecs} → {@code ecs}). */
  private static String iamPrefix(String service) {
    switch (service) {
      case "ApplicationAutoScaling":
        return "application-autoscaling";
      case "ElasticLoadBalancingV2":
        return "elasticloadbalancing";
      default:
        return service.toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One line: the call that failed, where, and every cause's type and message. */
  public static String describe(Throwable e) {
    String where = last.isEmpty() ? "AWS" : last;
    return where + " failed: " + causes(e) + denied(e);
  }

  /**
   * A refusal of IAM's names the action to allow: an error body the SDK cannot read leaves only
   * "HTTP status code 403".
   */
  private static String denied(Throwable e) {
    return accessDenied(e)
        ? " (HTTP 403: the caller's credentials are not valid, or its IAM policy does not allow "
            + lastAction
            + "; the deploy role's policy: docs/security.md)"
        : "";
  }

  /** AWS refused the call itself (HTTP 403), whatever error body the SDK could read. */
  public static boolean accessDenied(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AwsServiceException a && a.statusCode() == 403) {
        return true;
      }
    }
    return false;
  }

  /** The causes of {@code e}, outermost first, each as its type and message. */
  private static String causes(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null && parts.size() < 5; t = t.getCause()) {
      String m = t.getMessage() == null ? "" : ": " + t.getMessage();
      parts.add(t.getClass().getSimpleName() + m);
      if (t.getCause() == t) {
        break;
      }
    }
    return String.join(" <- ", parts);
  }
}
