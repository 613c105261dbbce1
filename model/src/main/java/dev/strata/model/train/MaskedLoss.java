package dev.strata.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.strata.model.head.FusionOutput;

/** Softmax cross-entropy averaged over labelled positions only (label -1 = ignore). */
public final class MaskedLoss {
  private MaskedLoss() {}

  /**
   * Mean cross-entropy of {@code logits [..., C]} against {@code labels [...]} int64 over the
   * positions where the label is {@code >= 0} and {@code weight} (same shape as labels, or {@code
   * null}) is non-zero. 0 when nothing is labelled.
   *
   * @throws IllegalArgumentException when a label is {@code >= C}
   */
  public static NDArray crossEntropy(NDArray logits, NDArray labels, NDArray weight) {
    long classes = logits.getShape().tail();
    long max = labels.max().getLong();
    if (max >= classes) {
      throw new IllegalArgumentException(
          "label "
              + max
              + " does not exist: the classifier has "
              + classes
              + " classes; rebuild the model with the full label set");
    }
    NDArray valid = labels.gte(0).toType(DataType.FLOAT32, false);
    if (weight != null) {
      valid = valid.mul(weight);
    }
    NDArray oneHot = labels.maximum(0).oneHot((int) classes);
    NDArray picked = logits.logSoftmax(-1).mul(oneHot).sum(new int[] {-1});
    return picked.mul(valid).sum().neg().div(valid.sum().maximum(1f));
  }

  /**
   * The training loss of one batch: token loss plus sequence loss, for the classifiers the model
   * has.
   *
   * @throws IllegalArgumentException when the model has a classifier the batch has no labels for
   */
  public static NDArray total(FusionOutput out, FeatureBatch batch) {
    NDArray loss = null;
    if (out.tokenLogits() != null) {
      if (batch.tokenLabels() == null) {
        throw new IllegalArgumentException(
            "the model has a token classifier but the batch has no token labels");
      }
      loss = crossEntropy(out.tokenLogits(), batch.tokenLabels(), batch.mask());
    }
    if (out.sequenceLogits() != null) {
      if (batch.sequenceLabels() == null) {
        throw new IllegalArgumentException(
            "the model has a sequence classifier but the batch has no sequence labels");
      }
      NDArray seq = crossEntropy(out.sequenceLogits(), batch.sequenceLabels(), null);
      loss = loss == null ? seq : loss.add(seq);
    }
    if (loss == null) {
      throw new IllegalStateException("the model produced no logits");
    }
    return loss;
  }
}
