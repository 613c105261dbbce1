package dev.strata.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;

/**
 * Per token, the S fused states concatenated, then Linear(S·H → H), LayerNorm and dropout.
 * Parameters: S·H·H + H (projection) + 2H (LayerNorm).
 */
public final class ConcatHead extends HeadBlock {
  private final Parameter projection;
  private final Parameter projectionBias;
  private final Parameter normGamma;
  private final Parameter normBeta;

  ConcatHead(HeadConfig config, BackboneShape backbone) {
    super(config, backbone);
    long h = backbone.hidden();
    long s = range.size();
    projection = weight("projection", h, s * h);
    projectionBias = bias("projectionBias", h);
    normGamma = gamma("normGamma", h);
    normBeta = beta("normBeta", h);
  }

  @Override
  public HeadOutput fuse(ParameterStore ps, NDArray states, NDArray mask, boolean training) {
    checkInput(states, mask);
    Shape s = states.getShape();
    long h = backbone.hidden();
    NDArray flat = fused(states).reshape(s.get(0), s.get(1), range.size() * h);
    NDArray projected =
        Linear.linear(
                flat,
                value(ps, projection, flat, training),
                value(ps, projectionBias, flat, training))
            .singletonOrThrow();
    NDArray normed =
        Norms.layerNorm(
            projected,
            value(ps, normGamma, flat, training),
            value(ps, normBeta, flat, training),
            HEAD_EPS);
    return new HeadOutput(
        Dropout.dropout(normed, config.dropout(), training).singletonOrThrow(), null);
  }
}
