package io.drainhost.samples;

/**
 * What a {@link SleepWorkflow} reports.
 *
 * @param attempts the attempt number of the activity attempt that finished
 * @param resumedFrom seconds already done (from heartbeat details) when that attempt started
 */
public record SleepResult(int slept, int attempts, int resumedFrom) {}
