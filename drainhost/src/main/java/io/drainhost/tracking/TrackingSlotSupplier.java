package io.drainhost.tracking;

import io.temporal.worker.tuning.SlotInfo;
import io.temporal.worker.tuning.SlotMarkUsedContext;
import io.temporal.worker.tuning.SlotPermit;
import io.temporal.worker.tuning.SlotReleaseContext;
import io.temporal.worker.tuning.SlotReserveContext;
import io.temporal.worker.tuning.SlotSupplier;
import io.temporal.worker.tuning.SlotSupplierFuture;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Wraps the SDK's slot supplier to see exactly when a task of this worker starts (the slot is
 * marked used) and ends (the slot is released after the result was reported). This is the one point
 * where workflow tasks, not whole workflow runs, are visible.
 */
public final class TrackingSlotSupplier<SI extends SlotInfo> implements SlotSupplier<SI> {
  private final SlotSupplier<SI> delegate;
  private final InflightRegistry registry;
  private final Function<SI, InflightItem> describe;
  private final PollGate gate;

  public TrackingSlotSupplier(
      SlotSupplier<SI> delegate,
      InflightRegistry registry,
      Function<SI, InflightItem> describe,
      PollGate gate) {
    this.delegate = delegate;
    this.registry = registry;
    this.describe = describe;
    this.gate = gate;
  }

  /** Called by a poller before each poll; once the gate is closed, ends that poller instead. */
  @Override
  public SlotSupplierFuture reserveSlot(SlotReserveContext<SI> ctx) throws Exception {
    if (gate.closed()) {
      // The poller waits on this future; interrupted, it aborts the reservation (no permit is
      // taken), skips the poll and leaves its loop.
      Thread.currentThread().interrupt();
      return SlotSupplierFuture.fromCompletableFuture(new CompletableFuture<>(), () -> {});
    }
    SlotSupplierFuture reservation = delegate.reserveSlot(ctx);
    reservation.thenAccept(
        permit -> {
          if (permit != null) {
            gate.pollStarted(permit);
          }
        });
    return reservation;
  }

  @Override
  public Optional<SlotPermit> tryReserveSlot(SlotReserveContext<SI> ctx) {
    Optional<SlotPermit> permit = delegate.tryReserveSlot(ctx);
    permit.ifPresent(gate::pollStarted);
    return permit;
  }

  @Override
  public void markSlotUsed(SlotMarkUsedContext<SI> ctx) {
    registry.add(ctx.getSlotPermit(), describe.apply(ctx.getSlotInfo()));
    gate.pollEnded(ctx.getSlotPermit());
    delegate.markSlotUsed(ctx);
  }

  @Override
  public void releaseSlot(SlotReleaseContext<SI> ctx) {
    try {
      delegate.releaseSlot(ctx);
    } finally {
      gate.pollEnded(ctx.getSlotPermit());
      registry.remove(ctx.getSlotPermit());
    }
  }

  @Override
  public Optional<Integer> getMaximumSlots() {
    return delegate.getMaximumSlots();
  }
}
