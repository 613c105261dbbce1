package dev.strata.model.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.norm.LayerNorm;

/**
 * Word + position + token-type embeddings followed by LayerNorm: the hidden state z_0. Token type
 * is always segment 0 (single-text inputs).
 */
final class EmbeddingBlock {
  private final NDArray word;
  private final NDArray position;
  private final NDArray typeZero;
  private final NDArray gamma;
  private final NDArray beta;
  private final float eps;
  private final int maxPositions;
  private final Shape normShape;

  EmbeddingBlock(BertConfig c, Weights w) {
    long h = c.hidden();
    this.word = w.array("embeddings.word_embeddings.weight", c.vocabSize(), h);
    this.position = w.array("embeddings.position_embeddings.weight", c.maxPositions(), h);
    float[] types = w.floats("embeddings.token_type_embeddings.weight", c.typeVocabSize(), h);
    float[] zero = new float[c.hidden()];
    System.arraycopy(types, 0, zero, 0, c.hidden());
    this.typeZero = w.create(zero, h);
    this.gamma = w.array("embeddings.LayerNorm.weight", h);
    this.beta = w.array("embeddings.LayerNorm.bias", h);
    this.eps = c.layerNormEps();
    this.maxPositions = c.maxPositions();
    this.normShape = new Shape(h);
  }

  /**
   * @param ids {@code [B, T]} int64 token ids
   * @return {@code [B, T, H]}
   */
  NDArray forward(NDArray ids) {
    long t = ids.getShape().get(1);
    if (t > maxPositions) {
      throw new IllegalArgumentException(
          "sequence of "
              + t
              + " tokens exceeds the encoder's "
              + maxPositions
              + " positions; split or truncate the input first (OverflowPolicy)");
    }
    NDArray x = ids.getNDArrayInternal().embedding(ids, word, SparseFormat.DENSE).head();
    x = x.addi(position.get(new NDIndex("0:{}", t))).addi(typeZero);
    return LayerNorm.layerNorm(x, normShape, gamma, beta, eps).head();
  }
}
