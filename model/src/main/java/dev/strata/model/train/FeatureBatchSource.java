package dev.strata.model.train;

import ai.djl.ndarray.NDManager;

/**
 * Random access to cached encoder states and labels, batched on request. A feature cache implements
 * this; {@link InMemoryFeatureSource} is the simple in-memory one.
 */
public interface FeatureBatchSource {

  /** Number of examples. */
  int size();

  /**
   * The examples at {@code indices}, padded to the longest of them, with arrays created in {@code
   * manager}.
   */
  FeatureBatch batch(NDManager manager, int[] indices);

  /**
   * The padded length (sub-tokens) example {@code index} contributes to a batch, or -1 when the
   * source does not know; lets a trainer group examples of similar length ({@link
   * HeadTrainer.Builder#optLengthBuckets}).
   */
  default int length(int index) {
    return -1;
  }
}
