/**
 * Reference runtimes (ONNX Runtime, TensorFlow 1.x) used to verify our encoder layer by layer.
 * Their libraries are {@code provided}: present for tests and for {@code verify-backbone}, absent
 * from the application's runtime classpath.
 */
package dev.strata.model.reference;
