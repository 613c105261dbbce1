package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * When to retrain a head: as soon as {@code retrain.min.new.examples} new examples arrived since
 * its last training, or when {@code retrain.interval.ms} passed since then and at least one new
 * example arrived. Pure, so tests drive it with any clock.
 *
 * @param minNewExamples N
 * @param interval T
 */
public record RetrainTrigger(int minNewExamples, Duration interval) {
  public RetrainTrigger {
    requireNonNull(interval, "interval");
    if (minNewExamples < 1) {
      throw new IllegalArgumentException(
          "minNewExamples must be at least 1, got " + minNewExamples);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
  }

  /** Why a check did or did not start a training. */
  public enum Reason {
    /** No new example since the last training. */
    NO_NEW_EXAMPLES,
    /** Some new examples, fewer than N, and T has not passed. */
    WAITING,
    /** N new examples arrived. */
    ENOUGH_NEW_EXAMPLES,
    /** T passed with at least one new example. */
    INTERVAL_ELAPSED;

    public boolean fires() {
      return this == ENOUGH_NEW_EXAMPLES || this == INTERVAL_ELAPSED;
    }
  }

  /**
   * @param newExamples examples written since the last training
   * @param lastTraining when the head was last trained (or first seen by this instance)
   * @param now the current time
   */
  public Reason check(int newExamples, Instant lastTraining, Instant now) {
    if (newExamples <= 0) {
      return Reason.NO_NEW_EXAMPLES;
    }
    if (newExamples >= minNewExamples) {
      return Reason.ENOUGH_NEW_EXAMPLES;
    }
    return Duration.between(lastTraining, now).compareTo(interval) >= 0
        ? Reason.INTERVAL_ELAPSED
        : Reason.WAITING;
  }
}
