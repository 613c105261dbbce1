package dev.strata.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * A freshly initialised post-LayerNorm transformer encoder layer (BERT layout: self-attention,
 * residual + LayerNorm, GELU feed-forward, residual + LayerNorm), trainable.
 *
 * <p>Input {@code NDList(x [N, T, H], maskAdder [N, 1, 1, T])}, output {@code [N, T, H]}.
 * Parameters: 4H² + 4H (attention) + 2HF + F + H (feed-forward) + 4H (two LayerNorms).
 */
final class TransformerLayerBlock extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int hidden;
  private final int heads;
  private final int headSize;
  private final float eps;
  private final float dropout;
  private final Parameter qkv;
  private final Parameter qkvBias;
  private final Parameter out;
  private final Parameter outBias;
  private final Parameter attnNormGamma;
  private final Parameter attnNormBeta;
  private final Parameter ffnIn;
  private final Parameter ffnInBias;
  private final Parameter ffnOut;
  private final Parameter ffnOutBias;
  private final Parameter outNormGamma;
  private final Parameter outNormBeta;

  TransformerLayerBlock(BackboneShape b, float dropout) {
    super(VERSION);
    this.hidden = b.hidden();
    this.heads = b.heads();
    this.headSize = b.hidden() / b.heads();
    this.eps = b.layerNormEps();
    this.dropout = dropout;
    long h = hidden;
    long f = b.intermediate();
    qkv = add("qkv", Parameter.Type.WEIGHT, HeadBlock.WEIGHT_INIT, 3 * h, h);
    qkvBias = add("qkvBias", Parameter.Type.BIAS, Initializer.ZEROS, 3 * h);
    out = add("out", Parameter.Type.WEIGHT, HeadBlock.WEIGHT_INIT, h, h);
    outBias = add("outBias", Parameter.Type.BIAS, Initializer.ZEROS, h);
    attnNormGamma = add("attnNormGamma", Parameter.Type.GAMMA, Initializer.ONES, h);
    attnNormBeta = add("attnNormBeta", Parameter.Type.BETA, Initializer.ZEROS, h);
    ffnIn = add("ffnIn", Parameter.Type.WEIGHT, HeadBlock.WEIGHT_INIT, f, h);
    ffnInBias = add("ffnInBias", Parameter.Type.BIAS, Initializer.ZEROS, f);
    ffnOut = add("ffnOut", Parameter.Type.WEIGHT, HeadBlock.WEIGHT_INIT, h, f);
    ffnOutBias = add("ffnOutBias", Parameter.Type.BIAS, Initializer.ZEROS, h);
    outNormGamma = add("outNormGamma", Parameter.Type.GAMMA, Initializer.ONES, h);
    outNormBeta = add("outNormBeta", Parameter.Type.BETA, Initializer.ZEROS, h);
  }

  private Parameter add(String name, Parameter.Type type, Initializer init, long... shape) {
    return addParameter(HeadBlock.parameter(name, type, init, shape));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray maskAdder = inputs.get(1);
    Shape s = x.getShape();
    long n = s.get(0);
    long t = s.get(1);

    NDArray proj =
        Linear.linear(x, p(ps, qkv, x, training), p(ps, qkvBias, x, training))
            .singletonOrThrow()
            .reshape(n, t, 3, heads, headSize)
            .transpose(2, 0, 3, 1, 4);
    NDArray q = proj.get(0).mul((float) (1.0 / Math.sqrt(headSize)));
    NDArray k = proj.get(1);
    NDArray v = proj.get(2);
    NDArray probs = q.matMul(k.transpose(0, 1, 3, 2)).add(maskAdder).softmax(-1);
    probs = Dropout.dropout(probs, dropout, training).singletonOrThrow();
    NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(n, t, hidden);
    NDArray attn =
        Linear.linear(context, p(ps, out, x, training), p(ps, outBias, x, training))
            .singletonOrThrow();
    attn = Dropout.dropout(attn, dropout, training).singletonOrThrow().add(x);
    NDArray h1 =
        Norms.layerNorm(
            attn, p(ps, attnNormGamma, x, training), p(ps, attnNormBeta, x, training), eps);

    NDArray inner =
        Activation.gelu(
            Linear.linear(h1, p(ps, ffnIn, x, training), p(ps, ffnInBias, x, training))
                .singletonOrThrow());
    NDArray ffn =
        Linear.linear(inner, p(ps, ffnOut, x, training), p(ps, ffnOutBias, x, training))
            .singletonOrThrow();
    ffn = Dropout.dropout(ffn, dropout, training).singletonOrThrow().add(h1);
    return new NDList(
        Norms.layerNorm(
            ffn, p(ps, outNormGamma, x, training), p(ps, outNormBeta, x, training), eps));
  }

  private static NDArray p(ParameterStore ps, Parameter param, NDArray like, boolean training) {
    return ps.getValue(param, like.getDevice(), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
