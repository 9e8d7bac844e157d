package io.drainhost.bench;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** How {@code bench} starts workflows and learns that they finished: over HTTP or Temporal. */
interface BenchDriver extends AutoCloseable {
  /** Completes when the workflow started; fails with {@link BenchError} naming why not. */
  CompletableFuture<Void> start(String workflowId, String workflowType, Map<String, Object> input);

  /** Completes with true when the workflow completed, false when it closed otherwise. */
  CompletableFuture<Boolean> completion(String workflowId);

  String describe();

  @Override
  void close();

  /** A failed start or completion check, with a bounded kind for the error table. */
  final class BenchError extends RuntimeException {
    final String kind;

    BenchError(String kind) {
      super(kind, null, false, false);
      this.kind = kind;
    }
  }
}
