package dev.strata.model.ner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.strata.model.data.CachedBatch;
import dev.strata.model.data.FeatureCache;
import dev.strata.model.data.LabelSet;
import dev.strata.model.data.Sentence;
import dev.strata.model.train.FeatureBatch;
import dev.strata.model.train.FeatureBatchSource;
import java.util.List;
import java.util.Objects;

/**
 * Training batches read from a {@link FeatureCache}: token labels for tagging (first sub-token of
 * every word), or one label per example for classification.
 */
final class CachedTaskSource implements FeatureBatchSource {
  private final FeatureCache cache;
  private final List<Sentence> sentences;
  private final LabelSet tokenLabels;
  private final int[] sequenceLabels;
  private final int[] subset;
  private final boolean wordStarts;

  private CachedTaskSource(
      FeatureCache cache,
      List<Sentence> sentences,
      LabelSet tokenLabels,
      int[] sequenceLabels,
      int[] subset,
      boolean wordStarts) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.sentences = sentences;
    this.tokenLabels = tokenLabels;
    this.sequenceLabels = sequenceLabels;
    this.subset = subset;
    this.wordStarts = wordStarts;
  }

  /**
   * The same data, each batch holding only its labelled positions ({@link
   * FeatureCache#wordStarts}): for heads that do not {@linkplain
   * dev.strata.model.head.HeadType#mixesTokens mix positions}. Tagging only.
   */
  CachedTaskSource wordStartsOnly() {
    if (sentences == null) {
      throw new IllegalStateException("word-start batches need token labels (tagging data)");
    }
    return new CachedTaskSource(cache, sentences, tokenLabels, null, subset, true);
  }

  /** The same data restricted to the cached examples {@code indices} (a few-shot sample). */
  CachedTaskSource subset(int[] indices) {
    for (int i : indices) {
      if (i < 0 || i >= cache.size()) {
        throw new IllegalArgumentException(
            "sample index " + i + " outside the " + cache.size() + " cached examples");
      }
    }
    return new CachedTaskSource(
        cache, sentences, tokenLabels, sequenceLabels, indices.clone(), wordStarts);
  }

  /** Token classification: tags of {@code sentences} encoded with {@code labels}. */
  static CachedTaskSource tagging(FeatureCache cache, List<Sentence> sentences, LabelSet labels) {
    return new CachedTaskSource(
        cache, Objects.requireNonNull(sentences, "sentences"), labels, null, null, false);
  }

  /** Sequence classification: label index per cached example. */
  static CachedTaskSource classification(FeatureCache cache, int[] labels) {
    if (labels.length != cache.size()) {
      throw new IllegalArgumentException(
          labels.length + " labels for " + cache.size() + " cached examples");
    }
    return new CachedTaskSource(cache, null, null, labels.clone(), null, false);
  }

  @Override
  public int size() {
    return subset == null ? cache.size() : subset.length;
  }

  @Override
  public FeatureBatch batch(NDManager manager, int[] positions) {
    int[] indices = positions;
    if (subset != null) {
      indices = new int[positions.length];
      for (int i = 0; i < positions.length; i++) {
        indices[i] = subset[positions[i]];
      }
    }
    CachedBatch b;
    if (sentences == null) {
      b = cache.batch(manager, indices);
    } else if (wordStarts) {
      b = cache.wordStarts(manager, indices, sentences, tokenLabels);
    } else {
      b = cache.batch(manager, indices, sentences, tokenLabels);
    }
    NDArray seq = null;
    if (sequenceLabels != null) {
      long[] ids = new long[indices.length];
      for (int i = 0; i < indices.length; i++) {
        ids[i] = sequenceLabels[indices[i]];
      }
      seq = manager.create(ids);
    }
    return new FeatureBatch(b.states(), b.mask(), b.labels(), seq);
  }
}
