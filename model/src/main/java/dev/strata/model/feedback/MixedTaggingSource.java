package dev.strata.model.feedback;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.strata.model.data.CachedBatch;
import dev.strata.model.data.LabelSet;
import dev.strata.model.ner.TaskTraining.CachedData;
import dev.strata.model.train.FeatureBatch;
import dev.strata.model.train.FeatureBatchSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tagging batches drawn from several cached data sets at once (feedback and base replay have their
 * own caches): a batch's rows are read from their own caches, padded to the longest and stacked;
 * or, with word starts, each cache's labelled positions ({@link
 * dev.strata.model.data.FeatureCache#wordStarts}) joined into one row.
 */
final class MixedTaggingSource implements FeatureBatchSource {
  private final List<CachedData> parts;
  private final LabelSet labels;
  private final boolean wordStarts;
  private final int[] offsets;
  private final int size;

  /**
   * @param wordStarts whether batches hold only the labelled positions (for heads that do not mix
   *     positions, see {@link dev.strata.model.ner.TaskTraining#trainsOnWordStarts})
   */
  MixedTaggingSource(List<CachedData> parts, LabelSet labels, boolean wordStarts) {
    this.parts = List.copyOf(parts);
    this.labels = Objects.requireNonNull(labels, "labels");
    this.wordStarts = wordStarts;
    this.offsets = new int[this.parts.size()];
    int n = 0;
    for (int p = 0; p < this.parts.size(); p++) {
      offsets[p] = n;
      n += this.parts.get(p).sentences().size();
    }
    this.size = n;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int length(int index) {
    int p = part(index);
    return parts.get(p).cache().tokens(index - offsets[p]);
  }

  private int part(int i) {
    if (i < 0 || i >= size) {
      throw new IllegalArgumentException("index " + i + " outside [0, " + size + ")");
    }
    int p = parts.size() - 1;
    while (offsets[p] > i) {
      p--;
    }
    return p;
  }

  @Override
  public FeatureBatch batch(NDManager manager, int[] indices) {
    List<List<Integer>> byPart = new ArrayList<>();
    for (int p = 0; p < parts.size(); p++) {
      byPart.add(new ArrayList<>());
    }
    for (int i : indices) {
      int p = part(i);
      byPart.get(p).add(i - offsets[p]);
    }
    List<CachedBatch> batches = new ArrayList<>();
    int tmax = 0;
    for (int p = 0; p < parts.size(); p++) {
      if (byPart.get(p).isEmpty()) {
        continue;
      }
      int[] idx = byPart.get(p).stream().mapToInt(Integer::intValue).toArray();
      CachedData d = parts.get(p);
      CachedBatch b =
          wordStarts
              ? d.cache().wordStarts(manager, idx, d.sentences(), labels)
              : d.cache().batch(manager, idx, d.sentences(), labels);
      batches.add(b);
      tmax = Math.max(tmax, (int) b.states().getShape().get(1));
    }
    if (batches.size() == 1) {
      CachedBatch b = batches.get(0);
      return new FeatureBatch(b.states(), b.mask(), b.labels(), null);
    }
    // one row per part: word starts, or the padded fallback of a single sentence with no kept
    // word, whose positions are all unlabelled and so add nothing to the loss when joined
    if (wordStarts && batches.stream().allMatch(b -> b.states().getShape().get(0) == 1)) {
      return joined(batches);
    }
    NDList states = new NDList();
    NDList masks = new NDList();
    NDList labelIds = new NDList();
    for (CachedBatch b : batches) {
      Shape s = b.states().getShape();
      long n = s.get(0);
      long pad = tmax - s.get(1);
      if (pad == 0) {
        states.add(b.states());
        masks.add(b.mask());
        labelIds.add(b.labels());
      } else {
        states.add(b.states().concat(manager.zeros(new Shape(n, pad, s.get(2), s.get(3))), 1));
        masks.add(b.mask().concat(manager.zeros(new Shape(n, pad)), 1));
        labelIds.add(b.labels().concat(manager.ones(new Shape(n, pad), DataType.INT64).neg(), 1));
      }
    }
    return new FeatureBatch(
        NDArrays.concat(states, 0), NDArrays.concat(masks, 0), NDArrays.concat(labelIds, 0), null);
  }

  /** Word-start rows of several caches as one row {@code [1, M1 + M2 + ..., S, H]}. */
  private static FeatureBatch joined(List<CachedBatch> batches) {
    NDList states = new NDList();
    NDList masks = new NDList();
    NDList labelIds = new NDList();
    for (CachedBatch b : batches) {
      states.add(b.states());
      masks.add(b.mask());
      labelIds.add(b.labels());
    }
    return new FeatureBatch(
        NDArrays.concat(states, 1), NDArrays.concat(masks, 1), NDArrays.concat(labelIds, 1), null);
  }
}
