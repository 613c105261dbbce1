package dev.strata.model.train;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a training run.
 *
 * @param steps optimiser steps done
 * @param bestDevScore best dev score, NaN without an evaluator
 * @param bestStep step of the best dev score (its weights are the model's now), -1 without one
 * @param history every dev evaluation, in order
 * @param stoppedEarly whether patience ran out before the planned steps
 * @param finalLoss mean training loss over the last report interval
 * @param wallTime time spent in {@code fit}
 */
public record TrainingResult(
    int steps,
    double bestDevScore,
    int bestStep,
    List<DevPoint> history,
    boolean stoppedEarly,
    double finalLoss,
    Duration wallTime) {

  public TrainingResult {
    history = List.copyOf(Objects.requireNonNull(history, "history"));
    Objects.requireNonNull(wallTime, "wallTime");
  }

  /** Optimiser steps per second of wall time (evaluation included). */
  public double stepsPerSecond() {
    double s = wallTime.toNanos() / 1e9;
    return s > 0 ? steps / s : Double.NaN;
  }
}
