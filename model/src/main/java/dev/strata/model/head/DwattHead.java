package dev.strata.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * Depth-wise attention (DWAtt) over the layers, per token:
 *
 * <ul>
 *   <li>values v_n = LN_n(W_n · LN'_n(gelu(U_n z_n))), U_n: H → γH, W_n: γH → H, one MLP per fused
 *       state, run as one batched product over {@code [S, H, γH]} weights;
 *   <li>query q = 1 + elu(z_L + f_Q(z_L)), f_Q a bottleneck MLP of the same form;
 *   <li>keys k_n = W_K p_n, p_n ∈ R^P learned (uniform [0, 1] init), W_K: P → H without bias;
 *   <li>a = softmax_n(q · k_n) (optionally scaled by 1/√H), dropout on a;
 *   <li>h = z_L + Σ_n a_n v_n.
 * </ul>
 *
 * Parameters: (S + 1)(2HγH + 3γH + 3H) + S·P + P·H.
 */
public final class DwattHead extends HeadBlock {
  private static final Initializer UNIFORM_01 =
      (manager, shape, dataType) -> manager.randomUniform(0f, 1f, shape, dataType);

  private final int bottleneck;
  private final Parameter valueUp; // [S, H, g]
  private final Parameter valueUpBias; // [S, 1, g]
  private final Parameter valueMidGamma;
  private final Parameter valueMidBeta;
  private final Parameter valueDown; // [S, g, H]
  private final Parameter valueDownBias; // [S, 1, H]
  private final Parameter valueNormGamma;
  private final Parameter valueNormBeta;
  private final Parameter queryUp; // [g, H] (out, in)
  private final Parameter queryUpBias;
  private final Parameter queryMidGamma;
  private final Parameter queryMidBeta;
  private final Parameter queryDown; // [H, g]
  private final Parameter queryDownBias;
  private final Parameter queryNormGamma;
  private final Parameter queryNormBeta;
  private final Parameter positions; // [S, P]
  private final Parameter keyProjection; // [H, P] (out, in)

  DwattHead(HeadConfig config, BackboneShape backbone) {
    super(config, backbone);
    long h = backbone.hidden();
    long s = range.size();
    long g = config.bottleneck(backbone.hidden());
    this.bottleneck = (int) g;
    valueUp = weight("valueUp", s, h, g);
    valueUpBias = bias("valueUpBias", s, 1, g);
    valueMidGamma = gamma("valueMidGamma", s, 1, g);
    valueMidBeta = beta("valueMidBeta", s, 1, g);
    valueDown = weight("valueDown", s, g, h);
    valueDownBias = bias("valueDownBias", s, 1, h);
    valueNormGamma = gamma("valueNormGamma", s, 1, h);
    valueNormBeta = beta("valueNormBeta", s, 1, h);
    queryUp = weight("queryUp", g, h);
    queryUpBias = bias("queryUpBias", g);
    queryMidGamma = gamma("queryMidGamma", g);
    queryMidBeta = beta("queryMidBeta", g);
    queryDown = weight("queryDown", h, g);
    queryDownBias = bias("queryDownBias", h);
    queryNormGamma = gamma("queryNormGamma", h);
    queryNormBeta = beta("queryNormBeta", h);
    positions = param("positions", Parameter.Type.WEIGHT, UNIFORM_01, s, config.positionWidth());
    keyProjection = weight("keyProjection", h, config.positionWidth());
  }

  /** Bottleneck width γH. */
  public int bottleneck() {
    return bottleneck;
  }

  @Override
  public HeadOutput fuse(ParameterStore ps, NDArray states, NDArray mask, boolean training) {
    checkInput(states, mask);
    Shape shape = states.getShape();
    long n = shape.get(0);
    long t = shape.get(1);
    int s = range.size();
    long h = backbone.hidden();
    NDArray zl = top(states);

    // values: all S bottleneck MLPs as batched products over [S, N*T, .]
    NDArray z = fused(states).reshape(n * t, s, h).transpose(1, 0, 2);
    NDArray up =
        z.matMul(v(ps, valueUp, states, training)).add(v(ps, valueUpBias, states, training));
    NDArray mid =
        Norms.batchedLayerNorm(
            Activation.gelu(up),
            v(ps, valueMidGamma, states, training),
            v(ps, valueMidBeta, states, training),
            HEAD_EPS);
    NDArray down =
        mid.matMul(v(ps, valueDown, states, training)).add(v(ps, valueDownBias, states, training));
    NDArray values =
        Norms.batchedLayerNorm(
            down,
            v(ps, valueNormGamma, states, training),
            v(ps, valueNormBeta, states, training),
            HEAD_EPS); // [S, N*T, H]

    // query from z_L
    NDArray qUp =
        Linear.linear(zl, v(ps, queryUp, states, training), v(ps, queryUpBias, states, training))
            .singletonOrThrow();
    NDArray qMid =
        Norms.layerNorm(
            Activation.gelu(qUp),
            v(ps, queryMidGamma, states, training),
            v(ps, queryMidBeta, states, training),
            HEAD_EPS);
    NDArray qDown =
        Linear.linear(
                qMid, v(ps, queryDown, states, training), v(ps, queryDownBias, states, training))
            .singletonOrThrow();
    NDArray fq =
        Norms.layerNorm(
            qDown,
            v(ps, queryNormGamma, states, training),
            v(ps, queryNormBeta, states, training),
            HEAD_EPS);
    NDArray query = Activation.elu(zl.add(fq), 1f).add(1f); // [N, T, H]

    // content-free keys k_n = W_K p_n: [S, H]
    NDArray keys =
        Linear.linear(v(ps, positions, states, training), v(ps, keyProjection, states, training))
            .singletonOrThrow();
    keys.attach(states.getManager()); // computed from parameters only: keep it out of their manager
    NDArray logits = Linear.linear(query, keys).singletonOrThrow(); // [N, T, S]
    if (config.scaleLogits()) {
      logits = logits.mul((float) (1.0 / Math.sqrt(h)));
    }
    NDArray weights = logits.softmax(-1);
    NDArray dropped = Dropout.dropout(weights, config.weightDropout(), training).singletonOrThrow();

    NDArray mixed = dropped.reshape(n * t, 1, s).matMul(values.transpose(1, 0, 2)).reshape(n, t, h);
    return new HeadOutput(zl.add(mixed), weights);
  }

  private static NDArray v(ParameterStore ps, Parameter p, NDArray like, boolean training) {
    return value(ps, p, like, training);
  }
}
