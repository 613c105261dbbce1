package dev.strata.app.feedback;

/** The outcome of one retraining (counted per head in {@code strata.retrain.decisions}). */
public enum RetrainDecision {
  /** The candidate's holdout F1 was within the margin of the serving head's; it is published. */
  ACCEPTED,
  /** The candidate was worse than the serving head by more than the margin; not published. */
  REJECTED_WORSE,
  /** Too few feedback examples to hold some out for validation; nothing trained. */
  REJECTED_TOO_FEW_EXAMPLES,
  /** Training or evaluation threw; nothing published. */
  FAILED,
  /** Accepted, but this instance no longer owns the head (rebalance during training). */
  DROPPED_NOT_OWNER
}
