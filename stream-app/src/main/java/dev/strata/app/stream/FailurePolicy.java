package dev.strata.app.stream;

/**
 * What to do with the records of a micro-batch the model failed on ({@code
 * inference.failure.policy}). There is no CONTINUE: skipping would drop records silently.
 */
public enum FailurePolicy {
  /** Retry each text alone; dead-letter those that still fail, emit the others. */
  DEAD_LETTER,
  /** Stop the application (the batch is not committed and is re-processed after a restart). */
  FAIL
}
