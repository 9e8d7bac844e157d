package io.drainhost.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drainhost.tracking.FinishPrediction.Verdict;
import org.junit.jupiter.api.Test;

class FinishPredictionTest {
  static long[] seconds(double... values) {
    long[] millis = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      millis[i] = Math.round(values[i] * 1000);
    }
    return millis;
  }

  @Test
  void anAttemptLikeThoseThatTookLessThanTheTimeLeftFits() {
    FinishPrediction p = FinishPrediction.of(seconds(4, 5, 5, 6, 7), 2_000, 20_000);
    assertEquals(Verdict.FITS, p.verdict(), p.reason());
  }

  @Test
  void anAttemptWhoseTypeAlwaysTookLongerThanTheTimeLeftDoesNotFitAndSaysWhy() {
    FinishPrediction p = FinishPrediction.of(seconds(60, 61, 62, 58, 65), 3_000, 22_000);
    assertEquals(Verdict.DOES_NOT_FIT, p.verdict());
    assertEquals("predicted 58.0 s > 22.0 s left (0 of 5 comparable attempts fit)", p.reason());
  }

  @Test
  void withTooLittleHistoryThereIsNoPrediction() {
    FinishPrediction p = FinishPrediction.of(seconds(60, 61, 62, 63), 3_000, 1_000);
    assertEquals(Verdict.UNKNOWN, p.verdict());
    assertEquals("too little history (4 of 5 observed attempts)", p.reason());
  }

  @Test
  void oneOutlierDoesNotMakeOrdinaryAttemptsLookLikeStragglers() {
    long[] history = seconds(2, 2, 2, 3, 2, 2, 3, 2, 2, 300);
    assertEquals(Verdict.FITS, FinishPrediction.of(history, 1_000, 20_000).verdict());
  }

  @Test
  void anAttemptThatOutlivedTheShortOnesIsJudgedByTheLongOnes() {
    // Bimodal history: a fresh attempt may be a short one; one that ran 10 s is a long one.
    long[] history = seconds(2, 2, 3, 2, 3, 60, 62, 61, 59, 60);
    assertEquals(Verdict.FITS, FinishPrediction.of(history, 1_000, 24_000).verdict());
    assertEquals(Verdict.DOES_NOT_FIT, FinishPrediction.of(history, 10_000, 15_000).verdict());
  }

  @Test
  void anAttemptLongerThanEveryObservedOneIsLeftToFinish() {
    FinishPrediction p = FinishPrediction.of(seconds(2, 2, 3, 2, 3), 5_000, 20_000);
    assertEquals(Verdict.UNKNOWN, p.verdict());
    assertEquals("ran 5.0 s, longer than all 5 observed attempts", p.reason());
  }
}
