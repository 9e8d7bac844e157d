package io.drainhost.replay;

import java.util.Locale;

/**
 * One run that this build could not be shown to handle.
 *
 * @param message the SDK's own message, on one line
 */
public record ReplayFailure(
    String workflowId, String runId, String type, Reason reason, String message) {

  /** Why; only evidence that the build cannot run the workflow blocks a deploy. */
  public enum Reason {
    /** The history does not replay: the code makes other commands than the run recorded. */
    NONDETERMINISM(true),
    /** The workflow code failed while replaying (an exception, not a mismatch). */
    REPLAY_ERROR(true),
    /** A running workflow of a type this build no longer registers: it would hang. */
    UNKNOWN_TYPE(true),
    /** The history could not be fetched, or not fetched and replayed in time: no evidence. */
    FETCH_FAILED(false),
    /**
     * The replay could not finish for a reason of the environment, not the code: the SDK's deadlock
     * detector on a starved CPU, memory, an interrupt, or a history larger than the host can hold.
     * No evidence either way.
     */
    REPLAY_INCOMPLETE(false);

    private final boolean blocks;

    Reason(boolean blocks) {
      this.blocks = blocks;
    }

    public boolean blocks() {
      return blocks;
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
