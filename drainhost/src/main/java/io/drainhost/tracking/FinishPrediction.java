package io.drainhost.tracking;

import java.util.Arrays;
import java.util.Locale;

/**
 * Whether an attempt that has run {@code elapsed} will finish within {@code left}, judged from the
 * durations this process observed for its activity type and conditioned on the attempt having
 * already run that long: of the observed attempts that took longer than {@code elapsed}, how many
 * needed no more than {@code left} beyond it. The attempt does not fit when at most {@link
 * #FIT_THRESHOLD} of them did: an early hand-off must be near certain, since an attempt that could
 * have finished would run again. With fewer than {@link #MIN_HISTORY} observations, or none longer
 * than {@code elapsed}, there is nothing to go on.
 */
public record FinishPrediction(Verdict verdict, String reason) {
  public static final int MIN_HISTORY = 5;
  public static final double FIT_THRESHOLD = 0.1;

  /** What the observations say. */
  public enum Verdict {
    FITS,
    DOES_NOT_FIT,
    UNKNOWN
  }

  public static FinishPrediction of(long[] observedMillis, long elapsedMillis, long leftMillis) {
    if (observedMillis.length < MIN_HISTORY) {
      return new FinishPrediction(
          Verdict.UNKNOWN,
          "too little history ("
              + observedMillis.length
              + " of "
              + MIN_HISTORY
              + " observed attempts)");
    }
    long[] stillNeeded =
        Arrays.stream(observedMillis)
            .filter(d -> d > elapsedMillis)
            .map(d -> d - elapsedMillis)
            .sorted()
            .toArray();
    if (stillNeeded.length == 0) {
      return new FinishPrediction(
          Verdict.UNKNOWN,
          "ran "
              + seconds(elapsedMillis)
              + ", longer than all "
              + observedMillis.length
              + " observed attempts");
    }
    long fitting = Arrays.stream(stillNeeded).filter(d -> d <= leftMillis).count();
    if (fitting <= FIT_THRESHOLD * stillNeeded.length) {
      long predicted = stillNeeded[stillNeeded.length / 2];
      return new FinishPrediction(
          Verdict.DOES_NOT_FIT,
          "predicted "
              + seconds(predicted)
              + " > "
              + seconds(leftMillis)
              + " left ("
              + fitting
              + " of "
              + stillNeeded.length
              + " comparable attempts fit)");
    }
    return new FinishPrediction(
        Verdict.FITS,
        "may finish: "
            + fitting
            + " of "
            + stillNeeded.length
            + " comparable attempts needed <= "
            + seconds(leftMillis)
            + " more");
  }

  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
