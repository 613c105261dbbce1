package dev.strata.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;

/** LayerNorm over the last axis, plain and with per-slice affine parameters. */
final class Norms {
  private Norms() {}

  /** LayerNorm of {@code x} over its last axis with {@code gamma}, {@code beta} of that width. */
  static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
    long d = x.getShape().tail();
    return LayerNorm.layerNorm(x, new Shape(d), gamma, beta, eps).singletonOrThrow();
  }

  /**
   * LayerNorm of {@code x [S, M, d]} over d with a separate affine per slice: {@code gamma, beta
   * [S, 1, d]}. One normalisation op for all S slices.
   */
  static NDArray batchedLayerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
    long d = x.getShape().tail();
    NDManager m = x.getManager();
    NDArray ones = m.ones(new Shape(d));
    NDArray zeros = m.zeros(new Shape(d));
    NDArray normed = LayerNorm.layerNorm(x, new Shape(d), ones, zeros, eps).singletonOrThrow();
    return normed.mul(gamma).add(beta);
  }
}
