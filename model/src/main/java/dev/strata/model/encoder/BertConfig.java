package dev.strata.model.encoder;

/**
 * Architecture of a BERT-family encoder, as read from a checkpoint.
 *
 * @param layers number of transformer layers L (the encoder returns L+1 hidden states)
 * @param hidden hidden width H
 * @param heads attention heads (H must be divisible by it)
 * @param intermediate feed-forward width
 * @param vocabSize word-piece vocabulary size
 * @param maxPositions learned position embeddings (the longest sequence the encoder accepts)
 * @param typeVocabSize token-type (segment) embeddings
 * @param layerNormEps LayerNorm epsilon
 * @param gelu activation variant
 * @param maskAdder value added to attention logits of padding positions (e.g. -10000 for TF BERT,
 *     float32 min for the ONNX exports); any large negative value gives the same result
 */
public record BertConfig(
    int layers,
    int hidden,
    int heads,
    int intermediate,
    int vocabSize,
    int maxPositions,
    int typeVocabSize,
    float layerNormEps,
    GeluVariant gelu,
    float maskAdder) {

  public BertConfig {
    positive("layers", layers);
    positive("hidden", hidden);
    positive("heads", heads);
    positive("intermediate", intermediate);
    positive("vocabSize", vocabSize);
    positive("maxPositions", maxPositions);
    positive("typeVocabSize", typeVocabSize);
    if (hidden % heads != 0) {
      throw new IllegalArgumentException(
          "hidden (" + hidden + ") must be divisible by heads (" + heads + ")");
    }
    if (!(layerNormEps > 0)) {
      throw new IllegalArgumentException("layerNormEps must be > 0, got " + layerNormEps);
    }
    if (gelu == null) {
      throw new IllegalArgumentException("gelu must be set");
    }
  }

  private static void positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }
  }

  /** Width of one attention head. */
  public int headSize() {
    return hidden / heads;
  }

  /** Number of hidden states the encoder returns: embeddings plus one per layer. */
  public int states() {
    return layers + 1;
  }
}
