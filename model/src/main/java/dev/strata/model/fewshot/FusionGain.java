package dev.strata.model.fewshot;

import java.util.Objects;

/**
 * The best fusion head against the {@code deeper} baseline at one k, on mean test F1.
 *
 * @param k training sentences ({@link FewShotRun#FULL} for the full set)
 * @param bestHead {@code concat} or {@code dwatt}, whichever has the higher mean
 * @param best test F1 of the best fusion head over seeds (fractions)
 * @param deeper test F1 of {@code deeper} over seeds (fractions)
 */
public record FusionGain(int k, String bestHead, MeanStd best, MeanStd deeper) {

  public FusionGain {
    Objects.requireNonNull(bestHead, "bestHead");
    Objects.requireNonNull(best, "best");
    Objects.requireNonNull(deeper, "deeper");
  }

  /**
   * Mean of the best fusion head minus mean of {@code deeper}, in F1 points, taken between the
   * means as printed (two decimals) so that the printed difference adds up.
   */
  public double points() {
    return Points.difference(best.mean(), deeper.mean());
  }
}
