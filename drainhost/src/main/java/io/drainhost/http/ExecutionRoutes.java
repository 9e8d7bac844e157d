package io.drainhost.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.drainhost.input.SchemaCheck;
import io.drainhost.metrics.MeterNames;
import io.drainhost.time.Durations;
import io.drainhost.workflows.InvalidInputException;
import io.drainhost.workflows.WorkflowTypes;
import io.drainhost.workflows.WorkflowTypes.WorkflowType;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code POST /executions} and {@code GET /executions/{workflowId}}. */
final class ExecutionRoutes {
  static final int MAX_WORKFLOW_ID_LENGTH = 1000;

  private final WorkflowClient client;
  private final WorkflowTypes types;
  private final ObjectMapper mapper;
  private final RequestBodies bodies;
  private final TemporalCalls calls;
  private final MeterRegistry registry;
  private final CompletableFuture<Void> drainStarted;
  private final WorkflowIdReusePolicy reusePolicy;
  private final int maxWaiters;
  private final Semaphore waiters;
  private final Duration requestTimeout;

  /** The waits in progress: a drain answers them all at once. */
  private final Set<CompletableFuture<Optional<Outcome>>> waiting = ConcurrentHashMap.newKeySet();

  ExecutionRoutes(
      WorkflowClient client,
      WorkflowTypes types,
      boolean allowRerun,
      ObjectMapper mapper,
      RequestBodies bodies,
      TemporalCalls calls,
      MeterRegistry registry,
      CompletableFuture<Void> drainStarted,
      int maxWaiters,
      Duration requestTimeout) {
    this.drainStarted = drainStarted;
    this.requestTimeout = requestTimeout;
    this.maxWaiters = maxWaiters;
    this.waiters = new Semaphore(maxWaiters);
    // One registration, not one per request: a future that lives as long as the host keeps
    // every dependent registered on it.
    drainStarted.thenRun(() -> waiting.forEach(w -> w.complete(Optional.empty())));
    Gauge.builder(MeterNames.HTTP_WAITERS, waiting, Set::size)
        .description("GET /executions/{id}?wait= requests waiting for their run to close")
        .register(registry);
    // Idempotent starts: a client that retries a POST after a timeout must not run the work twice,
    // so an id that ran before (closed, within retention) is refused like a running one.
    this.reusePolicy =
        allowRerun
            ? WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE
            : WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE;
    this.client = client;
    this.types = types;
    this.mapper = mapper;
    this.bodies = bodies;
    this.calls = calls;
    this.registry = registry;
  }

  void start(Context ctx) {
    StartRequest request;
    try {
      RequestBodies.requireJson(ctx.contentType());
      request = parse(bodies.readJson(ctx));
    } catch (ApiError e) {
      rejected(e.code());
      throw e;
    }
    ctx.future(
        () ->
            calls
                .call(
                    () -> {
                      WorkflowStub stub =
                          client.newUntypedWorkflowStub(
                              request.type.name(),
                              WorkflowOptions.newBuilder()
                                  .setTaskQueue(request.type.taskQueue())
                                  .setWorkflowId(request.workflowId)
                                  .setWorkflowIdReusePolicy(reusePolicy)
                                  .build());
                      return stub.start(request.args);
                    })
                .whenComplete(
                    (execution, e) -> {
                      Throwable cause = e instanceof CompletionException ? e.getCause() : e;
                      if (cause instanceof ApiError refused) {
                        rejected(refused.code());
                      }
                    })
                .thenAccept(
                    execution -> {
                      Counter.builder(MeterNames.EXECUTIONS_STARTED)
                          .tag("workflow_type", request.type.name())
                          .register(registry)
                          .increment();
                      ctx.status(201)
                          .header(
                              "Location", "/executions/" + pathSegment(execution.getWorkflowId()))
                          .json(
                              Map.of(
                                  "workflowId",
                                  execution.getWorkflowId(),
                                  "runId",
                                  execution.getRunId()));
                    }));
  }

  /** Percent-encodes one path segment (URLEncoder writes form encoding, where "+" means space). */
  static String pathSegment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  void rejected(String reason) {
    Counter.builder(MeterNames.EXECUTIONS_REJECTED)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  private record StartRequest(WorkflowType type, String workflowId, Object[] args) {}

  /** The fields of a start request; any other is a client's typo, not something to ignore. */
  private static final java.util.Set<String> START_FIELDS =
      java.util.Set.of("workflowType", "workflowId", "input");

  private StartRequest parse(JsonNode body) {
    if (!body.isObject()) {
      throw ApiError.badRequest("invalid_request", "the request body must be a JSON object");
    }
    for (java.util.Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!START_FIELDS.contains(name)) {
        throw ApiError.badRequest(
            "invalid_request",
            "unknown field '"
                + RequestBodies.truncate(name)
                + "'; a start takes workflowType, workflowId and input");
      }
    }
    JsonNode typeNode = body.get("workflowType");
    if (typeNode == null || typeNode.isNull()) {
      throw ApiError.badRequest("invalid_request", "workflowType is required");
    }
    if (!typeNode.isTextual() || typeNode.asText().isBlank()) {
      throw ApiError.badRequest("invalid_request", "workflowType must be a non-empty string");
    }
    String typeName = typeNode.asText();
    WorkflowType type =
        types
            .find(typeName)
            .orElseThrow(
                () ->
                    ApiError.badRequest(
                        "unknown_workflow_type",
                        "workflowType '"
                            + RequestBodies.truncate(typeName)
                            + "' is not registered on this host;"
                            + " registered: "
                            + String.join(", ", types.names())));
    String workflowId = workflowId(body.get("workflowId"));
    if (types.inputSchema(type.name()).isEmpty() && body.has("input")) {
      throw ApiError.badRequest(
          "invalid_request", "input is given but workflowType '" + type.name() + "' takes none");
    }
    try {
      return new StartRequest(type, workflowId, types.arguments(type, body.get("input"), mapper));
    } catch (InvalidInputException e) {
      throw ApiError.badRequest("invalid_request", String.join("; ", e.problems()));
    }
  }

  private static String workflowId(JsonNode node) {
    if (node == null) {
      return UUID.randomUUID().toString();
    }
    requireValid(StartRequests.WORKFLOW_ID, node, "workflowId");
    return node.asText();
  }

  void get(Context ctx) {
    String workflowId = ctx.pathParam("workflowId");
    if (workflowId.isBlank() || workflowId.length() > MAX_WORKFLOW_ID_LENGTH) {
      throw ApiError.workflowNotFound();
    }
    Duration wait = waitParameter(ctx.queryParam("wait"));
    if (wait.isZero()) {
      ctx.future(
          () -> calls.call(() -> describe(workflowId, Optional.empty())).thenAccept(ctx::json));
      return;
    }
    if (!waiters.tryAcquire()) {
      throw ApiError.unavailable(
          "too_many_waiters",
          "this host holds DRAINHOST_MAX_WAITERS="
              + maxWaiters
              + " waiting requests already; retry shortly, or ask without ?wait=");
    }
    // The wait is a long poll of Temporal's own, in gRPC's async calls: it holds no thread here.
    CompletableFuture<Map<String, Object>> answer;
    try {
      answer =
          awaitClose(client.newUntypedWorkflowStub(workflowId), wait)
              .thenCompose(awaited -> describeAfterWait(workflowId, awaited));
    } catch (RuntimeException e) {
      waiters.release();
      throw e;
    }
    ctx.future(() -> answer.whenComplete((v, e) -> waiters.release()).thenAccept(ctx::json));
  }

  /**
   * The run's description once a wait ended, as an async gRPC call: a run that closes with
   * thousands of waiters must not queue thousands of calls on the bounded pool. Closed without an
   * awaited outcome (it closed as the wait ended), its outcome is read on the pool.
   */
  private CompletableFuture<Map<String, Object>> describeAfterWait(
      String workflowId, Optional<Outcome> awaited) {
    CompletableFuture<DescribeWorkflowExecutionResponse> described = new CompletableFuture<>();
    ListenableFuture<DescribeWorkflowExecutionResponse> call =
        client
            .getWorkflowServiceStubs()
            .futureStub()
            .withDeadlineAfter(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(client.getOptions().getNamespace())
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                    .build());
    call.addListener(
        () -> {
          try {
            described.complete(call.get());
          } catch (java.util.concurrent.ExecutionException e) {
            described.completeExceptionally(e.getCause());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            described.completeExceptionally(e);
          }
        },
        MoreExecutors.directExecutor());
    return calls
        .watched(described)
        .thenCompose(
            d -> {
              WorkflowExecutionInfo info = d.getWorkflowExecutionInfo();
              if (closed(info.getStatus()) && awaited.isEmpty()) {
                return calls.call(() -> describe(workflowId, Optional.empty()));
              }
              return CompletableFuture.completedFuture(body(info, awaited));
            });
  }

  /** The run's description, with its outcome once closed ({@code awaited}, or read now). */
  private Map<String, Object> describe(String workflowId, Optional<Outcome> awaited) {
    WorkflowExecutionDescription d = client.newUntypedWorkflowStub(workflowId).describe();
    return body(
        d.getRawDescription().getWorkflowExecutionInfo(),
        closed(d.getStatus())
            ? Optional.of(
                awaited.orElseGet(
                    () ->
                        outcome(
                            client.newUntypedWorkflowStub(
                                d.getExecution(), Optional.of(d.getWorkflowType())))))
            : awaited);
  }

  /** The answer of {@code GET /executions/{id}}: the run, and its outcome once it is closed. */
  private static Map<String, Object> body(WorkflowExecutionInfo info, Optional<Outcome> outcome) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("workflowId", info.getExecution().getWorkflowId());
    out.put("runId", info.getExecution().getRunId());
    out.put("workflowType", info.getType().getName());
    out.put("status", status(info.getStatus()));
    if (closed(info.getStatus())) {
      out.put(outcome.get().key(), outcome.get().value());
    }
    return out;
  }

  /**
   * {@code ?wait=}: 0 to 60000 ms or 0 to 60 s, as a pattern, so that the description states the
   * rule exactly and a client or fuzzer can follow it.
   */
  static final ObjectNode WAIT = waitSchema();

  private static ObjectNode waitSchema() {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("type", "string");
    s.put("pattern", "^(?:(?:0|[1-9][0-9]{0,3}|[1-5][0-9]{4}|60000)ms|(?:[0-9]|[1-5][0-9]|60)s)$");
    s.put("description", "must be a duration such as 500ms or 10s, at most 60000ms or 60s");
    return s;
  }

  /** {@code ?wait=10s}: hold the request until the workflow closes or the wait is over. */
  private static Duration waitParameter(String value) {
    if (value == null) {
      return Duration.ZERO;
    }
    requireValid(WAIT, TextNode.valueOf(value), "wait");
    return Durations.parse(value);
  }

  /** A 400 naming every way {@code value} breaks the schema the description publishes for it. */
  private static void requireValid(ObjectNode schema, JsonNode value, String name) {
    List<String> problems = SchemaCheck.problems(schema, value, name);
    if (!problems.isEmpty()) {
      throw ApiError.badRequest("invalid_request", String.join("; ", problems));
    }
  }

  /**
   * The outcome once the run closes within {@code wait}; empty when it still runs then. A drain
   * cuts the wait short, so a waiting client gets its answer (RUNNING) at once instead of holding
   * up the HTTP stop; so does a lost connection to Temporal.
   */
  private CompletableFuture<Optional<Outcome>> awaitClose(WorkflowStub stub, Duration wait) {
    CompletableFuture<JsonNode> result =
        stub.getResultAsync(wait.toMillis(), TimeUnit.MILLISECONDS, JsonNode.class);
    CompletableFuture<Optional<Outcome>> outcome = new CompletableFuture<>();
    result.whenComplete(
        (value, error) -> {
          if (error == null) {
            outcome.complete(Optional.of(new Outcome("result", value)));
            return;
          }
          Throwable cause = error instanceof CompletionException ? error.getCause() : error;
          if (cause instanceof WorkflowFailedException failed) {
            outcome.complete(Optional.of(new Outcome("failure", failure(failed))));
          } else if (cause instanceof TimeoutException
              || cause instanceof java.util.concurrent.CancellationException) {
            outcome.complete(Optional.empty()); // still running, or cut short
          } else {
            outcome.completeExceptionally(cause);
          }
        });
    waiting.add(outcome);
    outcome.whenComplete(
        (o, e) -> {
          waiting.remove(outcome);
          result.cancel(true);
        });
    if (drainStarted.isDone()) {
      outcome.complete(Optional.empty());
    }
    // Past the wait, whatever the long poll does: the request's own bound.
    outcome.completeOnTimeout(
        Optional.empty(), wait.plus(requestTimeout).toMillis(), TimeUnit.MILLISECONDS);
    return calls.watched(outcome);
  }

  /** The {@code result} or {@code failure} of a closed run. */
  private record Outcome(String key, Object value) {}

  private static boolean closed(WorkflowExecutionStatus status) {
    return status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        && status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW;
  }

  /** Reads the outcome of a run known to be closed. */
  private static Outcome outcome(WorkflowStub run) {
    try {
      return new Outcome("result", run.getResult(JsonNode.class));
    } catch (WorkflowFailedException e) {
      return new Outcome("failure", failure(e));
    }
  }

  /**
   * What made a run fail: the application failure that caused it (thrown by the workflow, or by an
   * activity the workflow did not catch: {@code ActivityFailure} only wraps it), else the kind of
   * Temporal failure ({@code TerminatedFailure}, {@code TimeoutFailure}, {@code CanceledFailure}).
   */
  private static Map<String, String> failure(WorkflowFailedException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure) {
        cause = t;
        break;
      }
    }
    Map<String, String> f = new LinkedHashMap<>();
    f.put(
        "type",
        cause instanceof ApplicationFailure
            ? ((ApplicationFailure) cause).getType()
            : cause.getClass().getSimpleName());
    f.put(
        "message",
        cause instanceof TemporalFailure
            ? ((TemporalFailure) cause).getOriginalMessage()
            : String.valueOf(cause.getMessage()));
    return f;
  }

  private static String status(WorkflowExecutionStatus status) {
    return status.name().replace("WORKFLOW_EXECUTION_STATUS_", "");
  }
}
