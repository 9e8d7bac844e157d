package io.drainhost.backlog;

/**
 * One task queue's backlog as Temporal last reported it ({@code DescribeTaskQueue} with stats).
 *
 * @param taskQueue the task queue
 * @param kind {@code workflow} or {@code activity}
 * @param backlog approximate count of tasks waiting for a poller
 * @param backlogAgeSeconds age of the oldest waiting task
 * @param addRate tasks added per second, recently
 * @param dispatchRate tasks handed to pollers per second, recently
 */
public record QueueStats(
    String taskQueue,
    String kind,
    long backlog,
    double backlogAgeSeconds,
    double addRate,
    double dispatchRate) {}
