package io.drainhost.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class FailureKindTest {
  @Test
  void unavailableAndRefusedConnectionsAreHard() {
    assertEquals(FailureKind.HARD, FailureKind.of(new StatusRuntimeException(Status.UNAVAILABLE)));
    assertEquals(
        FailureKind.HARD, FailureKind.of(new RuntimeException(new ConnectException("refused"))));
    assertEquals(
        FailureKind.HARD,
        FailureKind.of(
            new RuntimeException("wrapped", new StatusRuntimeException(Status.UNAVAILABLE))));
  }

  @Test
  void slowOrOverloadedServersAreSoft() {
    assertEquals(
        FailureKind.SOFT, FailureKind.of(new StatusRuntimeException(Status.DEADLINE_EXCEEDED)));
    assertEquals(
        FailureKind.SOFT, FailureKind.of(new StatusRuntimeException(Status.RESOURCE_EXHAUSTED)));
  }

  @Test
  void applicationErrorsAreNotConnectionFailures() {
    assertEquals(FailureKind.NONE, FailureKind.of(new StatusRuntimeException(Status.NOT_FOUND)));
    assertEquals(
        FailureKind.NONE, FailureKind.of(new StatusRuntimeException(Status.INVALID_ARGUMENT)));
    assertEquals(FailureKind.NONE, FailureKind.of(new IllegalStateException("bug")));
  }
}
