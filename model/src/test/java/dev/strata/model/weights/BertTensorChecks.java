package dev.strata.model.weights;

/**
 * Checks the reader tests share on a BERT encoder checkpoint read through a {@link TensorStore}.
 */
final class BertTensorChecks {
  private BertTensorChecks() {}

  /**
   * Fetches the five embedding tensors with their canonical shapes: a vocabulary of {@code vocab}
   * tokens, BERT's 512 positions and 2 token types, hidden width {@code h}.
   */
  static void requireEmbeddings(TensorStore store, int vocab, int h) {
    store.tensor("embeddings.word_embeddings.weight", vocab, h);
    store.tensor("embeddings.position_embeddings.weight", 512, h);
    store.tensor("embeddings.token_type_embeddings.weight", 2, h);
    store.tensor("embeddings.LayerNorm.weight", h);
    store.tensor("embeddings.LayerNorm.bias", h);
  }

  /**
   * Fetches every tensor of encoder layers {@code 0..layers-1} with its canonical shape (hidden
   * width {@code h}, intermediate width {@code i}); a missing tensor or a wrong shape throws.
   */
  static void requireEncoderLayers(TensorStore store, int layers, int h, int i) {
    for (int l = 0; l < layers; l++) {
      String p = "encoder.layer." + l + ".";
      for (String qkv : new String[] {"query", "key", "value"}) {
        store.tensor(p + "attention.self." + qkv + ".weight", h, h);
        store.tensor(p + "attention.self." + qkv + ".bias", h);
      }
      store.tensor(p + "attention.output.dense.weight", h, h);
      store.tensor(p + "attention.output.dense.bias", h);
      store.tensor(p + "attention.output.LayerNorm.weight", h);
      store.tensor(p + "attention.output.LayerNorm.bias", h);
      store.tensor(p + "intermediate.dense.weight", i, h);
      store.tensor(p + "intermediate.dense.bias", i);
      store.tensor(p + "output.dense.weight", h, i);
      store.tensor(p + "output.dense.bias", h);
      store.tensor(p + "output.LayerNorm.weight", h);
      store.tensor(p + "output.LayerNorm.bias", h);
    }
  }

  /** The mean of the values. */
  static double mean(float[] v) {
    double s = 0;
    for (float f : v) {
      s += f;
    }
    return s / v.length;
  }
}
