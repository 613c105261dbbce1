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
}
