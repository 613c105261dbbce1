package dev.strata.model.encoder;

/** The GELU the checkpoint was trained with; using the wrong one drifts the top layers. */
public enum GeluVariant {
  /** {@code 0.5 x (1 + erf(x / sqrt 2))}: Hugging Face {@code "gelu"}, the ONNX exports. */
  ERF,
  /** {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}: original TF BERT graphs. */
  TANH
}
