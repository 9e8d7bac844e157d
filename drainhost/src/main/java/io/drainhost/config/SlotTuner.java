package io.drainhost.config;

/** Which SDK slot supplier gives a worker its slots ({@code DRAINHOST_SLOT_TUNER}). */
public enum SlotTuner {
  /** Exactly the configured number of slots. */
  FIXED,
  /** The SDK's resource-based tuner: slots while memory stays under 80% and CPU under 90%. */
  RESOURCE
}
