package dev.strata.model.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/**
 * One post-LayerNorm transformer layer (BERT): self-attention with a fused query/key/value
 * projection, residual + LayerNorm, feed-forward with GELU, residual + LayerNorm.
 *
 * <p>The 1/sqrt(head size) scale of the attention logits is folded into the query weights at load
 * time, which saves one op per layer and changes results only by float rounding.
 */
final class EncoderLayer {
  private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);

  private final int heads;
  private final int headSize;
  private final int hidden;
  private final float eps;
  private final GeluVariant gelu;
  private final Shape normShape;

  private final NDArray qkvWeight; // [3H, H]
  private final NDArray qkvBias; // [3H]
  private final NDArray outWeight;
  private final NDArray outBias;
  private final NDArray attnNormGamma;
  private final NDArray attnNormBeta;
  private final NDArray ffnInWeight;
  private final NDArray ffnInBias;
  private final NDArray ffnOutWeight;
  private final NDArray ffnOutBias;
  private final NDArray outNormGamma;
  private final NDArray outNormBeta;

  EncoderLayer(BertConfig c, Weights w, int index) {
    this.heads = c.heads();
    this.headSize = c.headSize();
    this.hidden = c.hidden();
    this.eps = c.layerNormEps();
    this.gelu = c.gelu();
    this.normShape = new Shape(hidden);
    String p = "encoder.layer." + index + ".";
    long h = hidden;
    long f = c.intermediate();

    float scale = (float) (1.0 / Math.sqrt(headSize));
    float[] qw = w.floats(p + "attention.self.query.weight", h, h);
    float[] qb = w.floats(p + "attention.self.query.bias", h);
    scaleInPlace(qw, scale);
    scaleInPlace(qb, scale);
    float[] kw = w.floats(p + "attention.self.key.weight", h, h);
    float[] kb = w.floats(p + "attention.self.key.bias", h);
    float[] vw = w.floats(p + "attention.self.value.weight", h, h);
    float[] vb = w.floats(p + "attention.self.value.bias", h);
    this.qkvWeight = w.create(concat(qw, kw, vw), 3 * h, h);
    this.qkvBias = w.create(concat(qb, kb, vb), 3 * h);

    this.outWeight = w.array(p + "attention.output.dense.weight", h, h);
    this.outBias = w.array(p + "attention.output.dense.bias", h);
    this.attnNormGamma = w.array(p + "attention.output.LayerNorm.weight", h);
    this.attnNormBeta = w.array(p + "attention.output.LayerNorm.bias", h);
    this.ffnInWeight = w.array(p + "intermediate.dense.weight", f, h);
    this.ffnInBias = w.array(p + "intermediate.dense.bias", f);
    this.ffnOutWeight = w.array(p + "output.dense.weight", h, f);
    this.ffnOutBias = w.array(p + "output.dense.bias", h);
    this.outNormGamma = w.array(p + "output.LayerNorm.weight", h);
    this.outNormBeta = w.array(p + "output.LayerNorm.bias", h);
  }

  /**
   * @param x {@code [B, T, H]}
   * @param maskAdder {@code [B, 1, 1, T]}: 0 for tokens, a large negative value for padding
   * @return {@code [B, T, H]}
   */
  NDArray forward(NDArray x, NDArray maskAdder) {
    Shape s = x.getShape();
    long b = s.get(0);
    long t = s.get(1);

    // [B, T, 3H] -> [B, T, 3, heads, headSize] -> [3, B, heads, T, headSize]
    NDArray qkv =
        Linear.linear(x, qkvWeight, qkvBias)
            .head()
            .reshape(b, t, 3, heads, headSize)
            .transpose(2, 0, 3, 1, 4);
    NDArray q = qkv.get(0);
    NDArray k = qkv.get(1);
    NDArray v = qkv.get(2);

    NDArray probs = q.matMul(k.transpose(0, 1, 3, 2)).addi(maskAdder).softmax(-1);
    NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, hidden);

    NDArray attn = Linear.linear(context, outWeight, outBias).head().addi(x);
    NDArray h1 = LayerNorm.layerNorm(attn, normShape, attnNormGamma, attnNormBeta, eps).head();

    NDArray inner = activate(Linear.linear(h1, ffnInWeight, ffnInBias).head());
    NDArray out = Linear.linear(inner, ffnOutWeight, ffnOutBias).head().addi(h1);
    return LayerNorm.layerNorm(out, normShape, outNormGamma, outNormBeta, eps).head();
  }

  private NDArray activate(NDArray x) {
    if (gelu == GeluVariant.ERF) {
      return Activation.gelu(x);
    }
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    NDArray inner = x.pow(3).muli(0.044715f).addi(x).muli(SQRT_2_OVER_PI).tanh().addi(1f);
    return inner.muli(x).muli(0.5f);
  }

  private static void scaleInPlace(float[] a, float s) {
    for (int i = 0; i < a.length; i++) {
      a[i] *= s;
    }
  }

  private static float[] concat(float[] a, float[] b, float[] c) {
    float[] out = new float[a.length + b.length + c.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    System.arraycopy(c, 0, out, a.length + b.length, c.length);
    return out;
  }
}
