package dev.strata.model.feedback;

import dev.strata.model.head.HeadType;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a head is refined from feedback. Build with {@link #builder()}; {@code build()} names any bad
 * field.
 *
 * @param holdoutFraction share of the feedback held out for validation (the gate), in (0, 1)
 * @param minHoldout at least this many feedback examples are held out
 * @param minExamples below this many feedback examples nothing is trained ({@link
 *     RefineDecision#REJECTED_TOO_FEW_EXAMPLES}); at least {@code minHoldout + 1}
 * @param epochs passes over the training mix (feedback + base replay)
 * @param learningRate peak AdamW learning rate
 * @param batchSize examples per step
 * @param seed seed of the split, the base sample, initialisation and shuffling
 * @param margin the candidate is accepted when its holdout F1 >= serving F1 - margin
 * @param newHeadType head type of a head created from scratch (a refined head keeps its type)
 * @param maxBaseReplay at most this many base sentences are replayed (0 = none)
 * @param cacheDir where encoder states of the base sample are cached between refinements (feedback
 *     states live in a temporary folder under it, deleted after each refinement)
 */
public record RefineSettings(
    double holdoutFraction,
    int minHoldout,
    int minExamples,
    int epochs,
    float learningRate,
    int batchSize,
    int seed,
    double margin,
    HeadType newHeadType,
    int maxBaseReplay,
    Path cacheDir) {

  public RefineSettings {
    if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
      throw new IllegalArgumentException(
          "holdoutFraction must be in (0, 1), got " + holdoutFraction);
    }
    atLeast("minHoldout", minHoldout, 1);
    atLeast("minExamples", minExamples, minHoldout + 1);
    atLeast("epochs", epochs, 1);
    if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
    }
    atLeast("batchSize", batchSize, 1);
    if (!(margin >= 0 && margin <= 1)) {
      throw new IllegalArgumentException(
          "margin must be in [0, 1] (F1 points / 100), got " + margin);
    }
    Objects.requireNonNull(newHeadType, "newHeadType");
    atLeast("maxBaseReplay", maxBaseReplay, 0);
    Objects.requireNonNull(cacheDir, "cacheDir");
  }

  private static void atLeast(String name, int v, int min) {
    if (v < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + v);
    }
  }

  /** A builder with the defaults; {@code cacheDir} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder for {@link RefineSettings}. */
  public static final class Builder {
    private double holdoutFraction = 0.2;
    private int minHoldout = 5;
    private int minExamples = 20;
    private int epochs = 10;
    private float learningRate = 1e-3f;
    private int batchSize = 16;
    private int seed = 42;
    private double margin = 0.02;
    private HeadType newHeadType = HeadType.DWATT;
    private int maxBaseReplay = 200;
    private Path cacheDir;

    private Builder() {}

    public Builder optHoldoutFraction(double v) {
      holdoutFraction = v;
      return this;
    }

    public Builder optMinHoldout(int v) {
      minHoldout = v;
      return this;
    }

    public Builder optMinExamples(int v) {
      minExamples = v;
      return this;
    }

    public Builder optEpochs(int v) {
      epochs = v;
      return this;
    }

    public Builder optLearningRate(float v) {
      learningRate = v;
      return this;
    }

    public Builder optBatchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder optSeed(int v) {
      seed = v;
      return this;
    }

    public Builder optMargin(double v) {
      margin = v;
      return this;
    }

    public Builder optNewHeadType(HeadType v) {
      newHeadType = v;
      return this;
    }

    public Builder optMaxBaseReplay(int v) {
      maxBaseReplay = v;
      return this;
    }

    public Builder setCacheDir(Path v) {
      cacheDir = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the field that is missing or out of range
     */
    public RefineSettings build() {
      if (cacheDir == null) {
        throw new IllegalArgumentException(
            "cacheDir must be set (where encoder states are cached)");
      }
      return new RefineSettings(
          holdoutFraction,
          minHoldout,
          minExamples,
          epochs,
          learningRate,
          batchSize,
          seed,
          margin,
          newHeadType,
          maxBaseReplay,
          cacheDir);
    }
  }
}
