package dev.strata.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
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
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(indices, "indices");
    if (indices.length == 0) {
      throw new IllegalArgumentException("a batch needs at least one sentence index");
    }
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
      if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
        half.put(base, src, 0, src.remaining());
      } else {
        ShortBuffer from = src.asShortBuffer();
        for (int k = 0; k < from.remaining(); k++) {
          half.putShort(base + 2 * k, from.get(k));
        }
      }
      int t = cache.tokens(i);
      Arrays.fill(mask, r * tmax, r * tmax + t, 1f);
      if (labelIds != null) {
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
}
