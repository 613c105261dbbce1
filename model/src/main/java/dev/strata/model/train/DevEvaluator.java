package dev.strata.model.train;

import dev.strata.model.head.FusionModel;

/**
 * Scores the model on a dev set; higher is better (the caller computes entity F1, accuracy, ...).
 * Called with the model in its current state; use {@link HeadPredictor} for predictions.
 */
@FunctionalInterface
public interface DevEvaluator {

  /** The dev score of {@code model} now. */
  double evaluate(FusionModel model);
}
