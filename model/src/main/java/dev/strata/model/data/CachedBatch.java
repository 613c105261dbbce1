package dev.strata.model.data;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * A batch read from a {@link FeatureCache}: padded sentences, one per row ({@link
 * FeatureCache#batch}), or the word starts of all its sentences in one row ({@link
 * FeatureCache#wordStarts}). The arrays belong to the manager given to {@link FeatureCache#batch};
 * {@link #close()} frees them early.
 *
 * @param indices the cache indices of the rows
 * @param states {@code [N, Tmax, S, H]} float32, zeros on padding
 * @param mask {@code [N, Tmax]} float32, 1 for real sub-tokens (special tokens included), 0 for
 *     padding
 * @param labels {@code [N, Tmax]} int64, the label index on the first sub-token of every word and
 *     -1 elsewhere; {@code null} when no labels were asked for
 */
public record CachedBatch(int[] indices, NDArray states, NDArray mask, NDArray labels)
    implements AutoCloseable {

  public CachedBatch {
    Objects.requireNonNull(indices, "indices");
    Objects.requireNonNull(states, "states");
    Objects.requireNonNull(mask, "mask");
  }

  /** Number of sentences (the rows N of a padded batch). */
  public int size() {
    return indices.length;
  }

  @Override
  public void close() {
    states.close();
    mask.close();
    if (labels != null) {
      labels.close();
    }
  }
}
