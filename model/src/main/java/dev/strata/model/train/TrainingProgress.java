package dev.strata.model.train;

import java.util.Locale;

/**
 * One progress report of a training run.
 *
 * @param step optimiser steps done
 * @param totalSteps planned steps
 * @param epoch current epoch (1-based)
 * @param loss mean training loss since the previous report
 * @param learningRate learning rate of the last step
 * @param devScore dev score at this step, NaN when not evaluated
 * @param bestDevScore best dev score so far, NaN when none
 */
public record TrainingProgress(
    int step,
    int totalSteps,
    int epoch,
    double loss,
    double learningRate,
    double devScore,
    double bestDevScore) {

  /** A one-line summary, e.g. {@code step 100/400 epoch 2 loss 0.3121 lr 8.0e-04 dev 0.8123}. */
  public String line() {
    String s =
        String.format(
            Locale.ROOT,
            "step %d/%d epoch %d loss %.4f lr %.1e",
            step,
            totalSteps,
            epoch,
            loss,
            learningRate);
    if (!Double.isNaN(devScore)) {
      s += String.format(Locale.ROOT, " dev %.4f (best %.4f)", devScore, bestDevScore);
    }
    return s;
  }
}
