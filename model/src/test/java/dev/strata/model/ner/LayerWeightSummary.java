package dev.strata.model.ner;

import ai.djl.ndarray.NDManager;
import dev.strata.model.data.CachedBatch;
import dev.strata.model.data.FeatureCache;
import dev.strata.model.head.FusionModel;
import dev.strata.model.train.FeatureBatch;
import dev.strata.model.train.HeadPredictor;
import dev.strata.model.train.Prediction;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * How a DWAtt model spreads its layer weights over the fused states, on the real tokens of the
 * first sentences of a cache: the mean weight of each state and the mean per-token maximum weight
 * (1.0 means a one-hot, saturated softmax). For the probes, not the suite.
 *
 * @param meanByLayer mean weight of each fused state
 * @param meanMax mean per-token maximum weight
 * @param tokens tokens averaged over
 */
public record LayerWeightSummary(double[] meanByLayer, double meanMax, long tokens) {

  /** Summarises {@code model}'s layer weights on the first {@code sentences} of {@code cache}. */
  public static LayerWeightSummary of(FusionModel model, FeatureCache cache, int sentences) {
    int n = Math.min(sentences, cache.size());
    double[] mean = null;
    double maxSum = 0;
    long tokens = 0;
    for (int from = 0; from < n; from += 32) {
      int[] idx = IntStream.range(from, Math.min(n, from + 32)).toArray();
      try (NDManager m = NDManager.newBaseManager("PyTorch")) {
        CachedBatch b = cache.batch(m, idx);
        Prediction p =
            HeadPredictor.predict(model, new FeatureBatch(b.states(), b.mask(), null, null));
        float[] mask = b.mask().toFloatArray();
        float[][][] w = p.layerWeights();
        int t = w[0].length;
        for (int i = 0; i < w.length; i++) {
          for (int j = 0; j < t; j++) {
            if (mask[i * t + j] > 0) {
              float[] a = w[i][j];
              if (mean == null) {
                mean = new double[a.length];
              }
              double max = 0;
              for (int s = 0; s < a.length; s++) {
                mean[s] += a[s];
                max = Math.max(max, a[s]);
              }
              maxSum += max;
              tokens++;
            }
          }
        }
      }
    }
    if (tokens == 0) {
      throw new IllegalArgumentException("no real tokens in the first " + n + " sentences");
    }
    for (int s = 0; s < mean.length; s++) {
      mean[s] /= tokens;
    }
    return new LayerWeightSummary(mean, maxSum / tokens, tokens);
  }

  /** Index of the state with the largest mean weight. */
  public int topLayer() {
    int top = 0;
    for (int s = 1; s < meanByLayer.length; s++) {
      top = meanByLayer[s] > meanByLayer[top] ? s : top;
    }
    return top;
  }

  /** One line: top layer, mean max weight and the mean weights by layer. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (double w : meanByLayer) {
      sb.append(String.format(Locale.ROOT, " %.2f", w));
    }
    return String.format(
        Locale.ROOT,
        "top layer %2d, mean max weight %.3f, mean weights by layer 0..%d:%s",
        topLayer(),
        meanMax,
        meanByLayer.length - 1,
        sb);
  }
}
