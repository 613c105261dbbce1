package dev.strata.model.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of head training. Build with {@link #builder()}; {@code build()} names any bad
 * field. Recorded verbatim in the saved model file.
 *
 * @param learningRate peak learning rate of AdamW (a frozen encoder's head wants ~1e-3; tune on
 *     dev)
 * @param weightDecay decoupled weight decay of AdamW
 * @param warmupFraction share of the total steps spent warming up linearly from 0; then linear
 *     decay to 0 at the last step
 * @param batchSize examples per step
 * @param epochs passes over the training set
 * @param maxSteps cap on optimiser steps, or 0 for none (epochs decide)
 * @param evalEvery evaluate on dev every this many steps (and after the last step)
 * @param patience stop after this many evaluations without improvement, or 0 to never stop early
 * @param seed seed of the engine RNG (initialisation, dropout) and of the shuffling
 */
public record TrainingConfig(
    float learningRate,
    float weightDecay,
    float warmupFraction,
    int batchSize,
    int epochs,
    int maxSteps,
    int evalEvery,
    int patience,
    int seed) {

  public TrainingConfig {
    if (!(learningRate > 0f) || Float.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
    }
    if (!(weightDecay >= 0f)) {
      throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
    }
    if (!(warmupFraction >= 0f && warmupFraction < 1f)) {
      throw new IllegalArgumentException("warmupFraction must be in [0, 1), got " + warmupFraction);
    }
    atLeast("batchSize", batchSize, 1);
    atLeast("epochs", epochs, 1);
    atLeast("maxSteps", maxSteps, 0);
    atLeast("evalEvery", evalEvery, 1);
    atLeast("patience", patience, 0);
  }

  private static void atLeast(String name, int v, int min) {
    if (v < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + v);
    }
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The hyper-parameters by field name, for the saved model's header and benchmark output. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("optimizer", "AdamW");
    m.put("schedule", "linear warm-up, linear decay");
    m.put("learningRate", learningRate);
    m.put("weightDecay", weightDecay);
    m.put("warmupFraction", warmupFraction);
    m.put("batchSize", batchSize);
    m.put("epochs", epochs);
    m.put("maxSteps", maxSteps);
    m.put("evalEvery", evalEvery);
    m.put("patience", patience);
    m.put("seed", seed);
    return m;
  }

  /** Optimiser steps for {@code examples} training examples. */
  public int totalSteps(int examples) {
    long perEpoch = (examples + batchSize - 1) / batchSize;
    long total = perEpoch * epochs;
    if (maxSteps > 0) {
      total = Math.min(total, maxSteps);
    }
    return (int) Math.min(total, Integer.MAX_VALUE);
  }

  /** Builder for {@link TrainingConfig}. */
  public static final class Builder {
    private float learningRate = 1e-3f;
    private float weightDecay = 0.01f;
    private float warmupFraction = 0.1f;
    private int batchSize = 32;
    private int epochs = 10;
    private int maxSteps;
    private int evalEvery = 50;
    private int patience = 5;
    private int seed = 42;

    private Builder() {}

    public Builder optLearningRate(float learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    public Builder optWeightDecay(float weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    public Builder optWarmupFraction(float warmupFraction) {
      this.warmupFraction = warmupFraction;
      return this;
    }

    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder optEpochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    public Builder optMaxSteps(int maxSteps) {
      this.maxSteps = maxSteps;
      return this;
    }

    public Builder optEvalEvery(int evalEvery) {
      this.evalEvery = evalEvery;
      return this;
    }

    public Builder optPatience(int patience) {
      this.patience = patience;
      return this;
    }

    public Builder optSeed(int seed) {
      this.seed = seed;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the field out of range
     */
    public TrainingConfig build() {
      return new TrainingConfig(
          learningRate,
          weightDecay,
          warmupFraction,
          batchSize,
          epochs,
          maxSteps,
          evalEvery,
          patience,
          seed);
    }
  }
}
