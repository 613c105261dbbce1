/**
 * Readers of pretrained weights (TF tensor bundles, ONNX initializers, safetensors) behind {@link
 * dev.strata.model.weights.TensorStore}, all yielding canonical Hugging Face names and layouts.
 */
package dev.strata.model.weights;
