package dev.strata.model.feedback;

import java.util.Locale;

/**
 * Whether a refined candidate may replace the serving head: it must score at least the serving
 * head's held-out F1 minus a margin. A head with nothing serving is always accepted; with a serving
 * head, a NaN score never passes.
 */
final class AcceptanceGate {
  /** The decision and the sentence the outcome reports. */
  record Verdict(boolean accept, String message) {}

  private AcceptanceGate() {}

  /**
   * @param serving whether a head is serving (false for a new head)
   * @param candidateF1 the candidate's held-out F1
   * @param servingF1 the serving head's held-out F1 (ignored without one)
   * @param margin how much worse than the serving head a candidate may be
   */
  static Verdict judge(boolean serving, double candidateF1, double servingF1, double margin) {
    if (!serving) {
      return new Verdict(true, "new head");
    }
    boolean accept = candidateF1 >= servingF1 - margin;
    return new Verdict(
        accept,
        String.format(
            Locale.ROOT,
            "candidate F1 %.4f %s serving F1 %.4f - margin %.4f",
            candidateF1,
            accept ? ">=" : "<",
            servingF1,
            margin));
  }
}
