package dev.strata.app.feedback;

import dev.strata.schemas.avro.FeedbackRecord;

/**
 * Decides whether a feedback record can train its head. Called on stream threads; implementations
 * must be thread-safe and must not throw for bad data (return an invalid verdict instead).
 */
@FunctionalInterface
public interface FeedbackValidator {
  /** The verdict on {@code record}. */
  FeedbackVerdict check(FeedbackRecord record);
}
