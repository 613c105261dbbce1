package dev.strata.model.feedback;

/** What a refinement concluded. */
public enum RefineDecision {
  /** The candidate is not worse than the serving head by more than the margin: publish it. */
  ACCEPTED,
  /** The candidate scored below the serving head minus the margin on the holdout: keep serving. */
  REJECTED_WORSE,
  /** Too few feedback examples to train and validate: wait for more. */
  REJECTED_TOO_FEW_EXAMPLES,
  /** Training could not run (bad request, incompatible serving head, engine error). */
  FAILED;

  /** Whether a candidate artifact comes with this decision. */
  public boolean publishes() {
    return this == ACCEPTED;
  }
}
