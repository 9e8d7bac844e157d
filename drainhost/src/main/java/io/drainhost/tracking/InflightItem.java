package io.drainhost.tracking;

import java.time.Instant;

/**
 * One piece of work executing in this process: an activity attempt or a workflow task.
 *
 * @param taskQueue the task queue of the worker that runs it
 * @param workflowType the type of the run the work belongs to
 * @param type the activity type or the workflow type
 * @param maxAttempts the retry policy's maximum attempts (0: unlimited; always 0 for workflow
 *     tasks)
 * @param taskToken the activity task token (empty for workflow tasks); never sent to clients
 */
public record InflightItem(
    WorkKind kind,
    String taskQueue,
    String workflowId,
    String runId,
    String workflowType,
    String type,
    int attempt,
    int maxAttempts,
    Instant startedAt,
    byte[] taskToken) {}
