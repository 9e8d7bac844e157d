package io.drainhost.deploy.aws;

import io.drainhost.deploy.check.Account;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/** Whether the roles a task definition names exist: ECS registers any ARN, IAM knows. */
public final class Roles {
  private final IamClient iam;

  public Roles(IamClient iam) {
    this.iam = iam;
  }

  /** The role at {@code arn} (its name is the ARN's last segment), as a check reads it. */
  public Account.Role check(String field, String arn) {
    String name = arn.substring(arn.lastIndexOf('/') + 1);
    try {
      iam.getRole(b -> b.roleName(name));
      return new Account.Role(field, arn, Optional.empty());
    } catch (NoSuchEntityException e) {
      return new Account.Role(
          field, arn, Optional.of("does not exist (IAM GetRole: NoSuchEntity)"));
    } catch (SdkException e) {
      if (AwsCallFailures.accessDenied(e)) {
        // The deploy policy reads and passes only the stack's task and execution roles: a role
        // outside them is a typo, or one this release could not pass to its tasks anyway.
        return new Account.Role(
            field,
            arn,
            Optional.of(
                "is not a role this deploy role may read or pass (IAM GetRole: HTTP 403): a"
                    + " typo, or a role outside the deploy policy's"));
      }
      // Fail closed: a role that cannot be read cannot be shown to exist.
      return new Account.Role(
          field, arn, Optional.of("could not be read (IAM GetRole: " + e.getMessage() + ")"));
    }
  }
}
