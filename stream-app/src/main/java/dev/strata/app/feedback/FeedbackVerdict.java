package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

/**
 * The result of validating one feedback record.
 *
 * @param problem {@code null} when valid, else a short upper-case name (e.g. {@code
 *     TOKENS_TAGS_LENGTH_MISMATCH}) carried in the dead letter's {@code strata.dlq.problem} header
 * @param message what is wrong and how to fix it; {@code null} when valid
 */
public record FeedbackVerdict(String problem, String message) {
  /** The verdict for a valid record. */
  public static final FeedbackVerdict VALID = new FeedbackVerdict(null, null);

  public FeedbackVerdict {
    if ((problem == null) != (message == null)) {
      throw new IllegalArgumentException("problem and message are both set or both null");
    }
  }

  /** An invalid verdict. */
  public static FeedbackVerdict invalid(String problem, String message) {
    return new FeedbackVerdict(
        requireNonNull(problem, "problem"), requireNonNull(message, "message"));
  }

  public boolean valid() {
    return problem == null;
  }
}
