package dev.strata.model.eval;

/**
 * Entity counts for one type (or all types) with the derived scores.
 *
 * <p>Following {@code conlleval}, a ratio with a zero denominator is 0: precision is 0 when nothing
 * was predicted, recall is 0 when there is no gold entity, F1 is 0 when precision + recall is 0. So
 * an empty prediction on an empty gold set scores 0, not 1.
 *
 * @param truePositives predicted entities that match a gold entity exactly (span and type)
 * @param predicted entities in the predictions
 * @param gold entities in the gold tags
 */
public record TypeCounts(long truePositives, long predicted, long gold) {

  public TypeCounts {
    if (truePositives < 0 || truePositives > predicted || truePositives > gold) {
      throw new IllegalArgumentException(
          "need 0 <= truePositives <= min(predicted, gold), got tp="
              + truePositives
              + " predicted="
              + predicted
              + " gold="
              + gold);
    }
  }

  /** Zero counts. */
  public static final TypeCounts ZERO = new TypeCounts(0, 0, 0);

  /** Field-wise sum. */
  public TypeCounts plus(TypeCounts o) {
    return new TypeCounts(truePositives + o.truePositives, predicted + o.predicted, gold + o.gold);
  }

  /** tp / predicted, 0 when nothing was predicted. */
  public double precision() {
    return predicted == 0 ? 0 : (double) truePositives / predicted;
  }

  /** tp / gold, 0 when there is no gold entity. */
  public double recall() {
    return gold == 0 ? 0 : (double) truePositives / gold;
  }

  /** Harmonic mean of precision and recall, 0 when both are 0. */
  public double f1() {
    double p = precision();
    double r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }
}
