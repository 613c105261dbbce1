package dev.strata.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Copies cached float16 states of chosen sentences into one padded {@link CachedBatch}: the body of
 * {@link FeatureCache#batch}.
 */
final class BatchAssembler {
  private BatchAssembler() {}

  static CachedBatch assemble(
      FeatureCache cache,
      NDManager manager,
      int[] indices,
      List<Sentence> sentences,
      LabelSet labels) {
    requireIndices(manager, indices);
    int n = indices.length;
    int tmax = 0;
    for (int i : indices) {
      tmax = Math.max(tmax, cache.tokens(i));
    }
    int s = cache.states();
    int h = cache.hidden();
    long rowBytes = (long) tmax * s * h * 2;
    if (rowBytes * n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "batch of " + n + " x " + tmax + " tokens exceeds 2 GB of float16: use a smaller batch");
    }
    ByteBuffer half =
        ByteBuffer.allocateDirect((int) (rowBytes * n)).order(ByteOrder.nativeOrder());
    float[] mask = new float[n * tmax];
    long[] labelIds = sentences == null ? null : new long[n * tmax];
    if (labelIds != null) {
      Arrays.fill(labelIds, -1L);
    }
    for (int r = 0; r < n; r++) {
      int i = indices[r];
      ByteBuffer src = cache.bytes(i);
      int base = (int) (r * rowBytes);
      copyHalves(src, 0, half, base, src.remaining());
      int t = cache.tokens(i);
      Arrays.fill(mask, r * tmax, r * tmax + t, 1f);
      if (labelIds != null) {
        Sentence sentence = labeled(cache, sentences, i);
        int[] first = cache.firstSubTokens(i);
        for (int w = 0; w < first.length; w++) {
          if (first[w] >= 0) {
            labelIds[r * tmax + first[w]] = labels.encode(sentence.tags().get(w));
          }
        }
      }
    }
    half.rewind();
    NDArray statesArray;
    try (NDArray f16 = manager.create(half, new Shape(n, tmax, s, h), DataType.FLOAT16)) {
      statesArray = f16.toType(DataType.FLOAT32, true);
    }
    NDArray maskArray = manager.create(mask, new Shape(n, tmax));
    NDArray labelArray = labelIds == null ? null : manager.create(labelIds, new Shape(n, tmax));
    return new CachedBatch(indices.clone(), statesArray, maskArray, labelArray);
  }

  /**
   * The body of {@link FeatureCache#wordStarts}: the first sub-token of every kept word of the
   * sentences at {@code indices}, in order, as one row {@code [1, M, S, H]}; a padded batch when no
   * word is kept (M = 0).
   */
  static CachedBatch assembleWordStarts(
      FeatureCache cache,
      NDManager manager,
      int[] indices,
      List<Sentence> sentences,
      LabelSet labels) {
    requireIndices(manager, indices);
    int m = 0;
    int[][] firsts = new int[indices.length][];
    for (int r = 0; r < indices.length; r++) {
      firsts[r] = cache.firstSubTokens(indices[r]); // checks the index
      if (sentences != null) {
        labeled(cache, sentences, indices[r]);
      }
      for (int f : firsts[r]) {
        m += f >= 0 ? 1 : 0;
      }
    }
    if (m == 0) {
      return assemble(cache, manager, indices, sentences, labels);
    }
    int s = cache.states();
    int h = cache.hidden();
    int tokenBytes = s * h * 2;
    if ((long) m * tokenBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "batch of " + m + " words exceeds 2 GB of float16: use a smaller batch");
    }
    ByteBuffer half = ByteBuffer.allocateDirect(m * tokenBytes).order(ByteOrder.nativeOrder());
    long[] labelIds = sentences == null ? null : new long[m];
    int k = 0;
    for (int r = 0; r < indices.length; r++) {
      int i = indices[r];
      ByteBuffer src = cache.bytes(i);
      List<String> tags = sentences == null ? null : sentences.get(i).tags();
      for (int w = 0; w < firsts[r].length; w++) {
        int t = firsts[r][w];
        if (t < 0) {
          continue;
        }
        copyHalves(src, t * tokenBytes, half, k * tokenBytes, tokenBytes);
        if (labelIds != null) {
          labelIds[k] = labels.encode(tags.get(w));
        }
        k++;
      }
    }
    half.rewind();
    NDArray statesArray;
    try (NDArray f16 = manager.create(half, new Shape(1, m, s, h), DataType.FLOAT16)) {
      statesArray = f16.toType(DataType.FLOAT32, true);
    }
    NDArray maskArray = manager.ones(new Shape(1, m));
    NDArray labelArray = labelIds == null ? null : manager.create(labelIds, new Shape(1, m));
    return new CachedBatch(indices.clone(), statesArray, maskArray, labelArray);
  }

  private static void requireIndices(NDManager manager, int[] indices) {
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(indices, "indices");
    if (indices.length == 0) {
      throw new IllegalArgumentException("a batch needs at least one sentence index");
    }
  }

  /** Copies {@code length} bytes of little-endian float16 into a native-order buffer. */
  private static void copyHalves(ByteBuffer src, int from, ByteBuffer dst, int to, int length) {
    if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      dst.put(to, src, from, length);
    } else {
      for (int k = 0; k < length; k += 2) {
        dst.putShort(to + k, src.getShort(from + k));
      }
    }
  }

  /** Sentence {@code i}, checked to have tags and the word count the cache stored. */
  private static Sentence labeled(FeatureCache cache, List<Sentence> sentences, int i) {
    Sentence sentence = sentences.get(i);
    if (!sentence.labeled()) {
      throw new IllegalArgumentException(
          "sentence " + i + " has no tags: token labels need labeled sentences");
    }
    if (sentence.size() != cache.words(i)) {
      throw new IllegalArgumentException(
          "sentence "
              + i
              + " has "
              + sentence.size()
              + " words but the cache "
              + cache.path()
              + " stored "
              + cache.words(i)
              + ": pass the list the cache was built from");
    }
    return sentence;
  }
}
