package io.drainhost.tracking;

import io.drainhost.config.DrainPolicy;

/**
 * What a drain decided for one activity attempt when it started: hand it off at once, or let it run
 * until the shutdown timeout; with the policy applied and why (shown by {@code /inflight} and in
 * the drain's log).
 */
public record DrainDecision(DrainPolicy policy, boolean handOffNow, String reason) {}
