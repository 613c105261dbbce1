package dev.strata.model.feedback;

import java.util.Objects;

/**
 * A feedback example was refused. {@link #problem()} is the kind (for dead-letter reasons and
 * metrics); the message names the example, the offending value and the fix.
 */
public final class InvalidFeedbackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final FeedbackProblem problem;

  public InvalidFeedbackException(FeedbackProblem problem, String message) {
    super(message);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** What is wrong. */
  public FeedbackProblem problem() {
    return problem;
  }
}
