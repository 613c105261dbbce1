package dev.strata.model.head;

import dev.strata.model.encoder.BertConfig;

/**
 * The dimensions of the frozen encoder a head is built for.
 *
 * @param layers transformer layers L (the encoder gives L+1 states)
 * @param hidden hidden width H
 * @param heads attention heads of the backbone (used by the {@code deeper} head)
 * @param intermediate feed-forward width of the backbone (used by the {@code deeper} head)
 * @param layerNormEps LayerNorm epsilon of the backbone (used by the {@code deeper} head)
 */
public record BackboneShape(
    int layers, int hidden, int heads, int intermediate, float layerNormEps) {

  public BackboneShape {
    if (layers < 1) {
      throw new IllegalArgumentException("layers must be >= 1, got " + layers);
    }
    if (hidden < 1 || heads < 1 || intermediate < 1) {
      throw new IllegalArgumentException(
          "hidden, heads and intermediate must be >= 1, got "
              + hidden
              + ", "
              + heads
              + ", "
              + intermediate);
    }
    if (hidden % heads != 0) {
      throw new IllegalArgumentException(
          "hidden (" + hidden + ") must be divisible by heads (" + heads + ")");
    }
    if (!(layerNormEps > 0)) {
      throw new IllegalArgumentException("layerNormEps must be > 0, got " + layerNormEps);
    }
  }

  /** The shape of an encoder read from a checkpoint. */
  public static BackboneShape of(BertConfig config) {
    return new BackboneShape(
        config.layers(),
        config.hidden(),
        config.heads(),
        config.intermediate(),
        config.layerNormEps());
  }

  /** Number of hidden states the encoder gives: L + 1. */
  public int states() {
    return layers + 1;
  }
}
