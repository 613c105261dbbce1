package dev.strata.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * Reference head: h = γ Σ_n softmax(w)_n z_n with one learned scalar w_n per fused state and a
 * global scale γ (S + 1 parameters). Its layer weights are the same for every token.
 */
public final class ScalarMixHead extends HeadBlock {
  private final Parameter mixWeights;
  private final Parameter scale;

  ScalarMixHead(HeadConfig config, BackboneShape backbone) {
    super(config, backbone);
    mixWeights = param("mixWeights", Parameter.Type.WEIGHT, Initializer.ZEROS, range.size());
    scale = param("scale", Parameter.Type.GAMMA, Initializer.ONES, 1);
  }

  @Override
  public HeadOutput fuse(ParameterStore ps, NDArray states, NDArray mask, boolean training) {
    checkInput(states, mask);
    Shape s = states.getShape();
    int n = range.size();
    NDArray weights = value(ps, mixWeights, states, training).softmax(0);
    // ops on parameters land in the parameters' manager: move the result to the batch's
    weights.attach(states.getManager());
    NDArray mixed = fused(states).mul(weights.reshape(n, 1)).sum(new int[] {2});
    NDArray out = mixed.mul(value(ps, scale, states, training));
    NDArray perToken = weights.reshape(1, 1, n).broadcast(s.get(0), s.get(1), n);
    return new HeadOutput(out, perToken);
  }
}
