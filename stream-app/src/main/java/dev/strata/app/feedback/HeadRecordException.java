package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

/** A heads-topic record that cannot serve; {@link #outcome()} says why. */
public final class HeadRecordException extends RuntimeException {
  private final SwapOutcome outcome;

  public HeadRecordException(SwapOutcome outcome, String message) {
    this(outcome, message, null);
  }

  public HeadRecordException(SwapOutcome outcome, String message, Throwable cause) {
    super(message, cause);
    this.outcome = requireNonNull(outcome, "outcome");
  }

  public SwapOutcome outcome() {
    return outcome;
  }
}
