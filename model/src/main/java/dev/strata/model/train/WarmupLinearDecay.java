package dev.strata.model.train;

import ai.djl.training.tracker.Tracker;

/**
 * Learning rate rising linearly to the peak over the warm-up steps (peak·u/w at update u), then
 * falling linearly towards 0: peak·(total − u + 1)/(total − w) after warm-up. Update numbers u
 * start at 1, as DJL's optimisers count them.
 */
public final class WarmupLinearDecay implements Tracker {
  private final float peak;
  private final int warmupSteps;
  private final int totalSteps;

  /**
   * @param peak the peak learning rate
   * @param warmupSteps steps to reach the peak (0 starts at the peak)
   * @param totalSteps the step at which the rate reaches 0
   */
  public WarmupLinearDecay(float peak, int warmupSteps, int totalSteps) {
    if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException(
          "need 0 <= warmupSteps <= totalSteps and totalSteps >= 1, got warm-up "
              + warmupSteps
              + " of "
              + totalSteps);
    }
    this.peak = peak;
    this.warmupSteps = warmupSteps;
    this.totalSteps = totalSteps;
  }

  @Override
  public float getNewValue(int numUpdate) {
    if (numUpdate <= warmupSteps) {
      return peak * numUpdate / warmupSteps;
    }
    // the first step after warm-up runs at the peak; the last still moves (peak / decay steps)
    float left = (float) (totalSteps - numUpdate + 1) / (totalSteps - warmupSteps);
    return peak * Math.max(0f, left);
  }
}
