package dev.strata.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.FusionOutput;
import java.util.Objects;

/** Inference helpers: argmax labels, probabilities and layer weights, without dropout. */
public final class HeadPredictor {
  private HeadPredictor() {}

  /** Predictions for {@code batch}; temporaries go to the batch's manager. */
  public static Prediction predict(FusionModel model, FeatureBatch batch) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(batch, "batch");
    NDManager m = batch.states().getManager();
    FusionOutput out = model.run(new ParameterStore(m, false), batch.states(), batch.mask(), false);
    float[] mask = batch.mask().toFloatArray();
    int n = batch.size();
    int t = batch.length();
    int[][] tokenLabels = null;
    float[][][] tokenProbs = null;
    if (out.tokenLogits() != null) {
      NDArray probs = out.tokenLogits().softmax(-1);
      int c = (int) probs.getShape().tail();
      tokenProbs = reshape(probs.toFloatArray(), n, t, c, mask);
      tokenLabels = argmax(tokenProbs, mask, t);
    }
    int[] seqLabels = null;
    float[][] seqProbs = null;
    if (out.sequenceLogits() != null) {
      NDArray probs = out.sequenceLogits().softmax(-1);
      int c = (int) probs.getShape().tail();
      float[] flat = probs.toFloatArray();
      seqProbs = new float[n][c];
      seqLabels = new int[n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(flat, i * c, seqProbs[i], 0, c);
        seqLabels[i] = argmax(seqProbs[i]);
      }
    }
    float[][][] weights = null;
    if (out.layerWeights() != null) {
      int s = (int) out.layerWeights().getShape().tail();
      weights = reshape(out.layerWeights().toFloatArray(), n, t, s, null);
    }
    return new Prediction(tokenLabels, tokenProbs, seqLabels, seqProbs, weights);
  }

  /**
   * Share of labelled tokens (label >= 0) whose argmax is right, over all of {@code source}; a
   * simple dev score for tests and smoke runs.
   */
  public static double tokenAccuracy(
      FusionModel model, FeatureBatchSource source, NDManager parent, int batchSize) {
    long right = 0;
    long total = 0;
    for (int from = 0; from < source.size(); from += batchSize) {
      int[] idx = range(from, Math.min(source.size(), from + batchSize));
      try (NDManager m = parent.newSubManager()) {
        FeatureBatch b = source.batch(m, idx);
        int[][] pred = predict(model, b).tokenLabels();
        long[] gold = b.tokenLabels().toLongArray();
        for (int i = 0; i < pred.length; i++) {
          for (int j = 0; j < pred[i].length; j++) {
            long g = gold[i * pred[i].length + j];
            if (g >= 0) {
              total++;
              right += g == pred[i][j] ? 1 : 0;
            }
          }
        }
      }
    }
    return total == 0 ? Double.NaN : (double) right / total;
  }

  /** Share of examples whose sequence label is right, over all of {@code source}. */
  public static double sequenceAccuracy(
      FusionModel model, FeatureBatchSource source, NDManager parent, int batchSize) {
    long right = 0;
    for (int from = 0; from < source.size(); from += batchSize) {
      int[] idx = range(from, Math.min(source.size(), from + batchSize));
      try (NDManager m = parent.newSubManager()) {
        FeatureBatch b = source.batch(m, idx);
        int[] pred = predict(model, b).sequenceLabels();
        long[] gold = b.sequenceLabels().toLongArray();
        for (int i = 0; i < pred.length; i++) {
          right += gold[i] == pred[i] ? 1 : 0;
        }
      }
    }
    return (double) right / source.size();
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  private static float[][][] reshape(float[] flat, int n, int t, int c, float[] mask) {
    float[][][] out = new float[n][t][c];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < t; j++) {
        if (mask == null || mask[i * t + j] > 0) {
          System.arraycopy(flat, (i * t + j) * c, out[i][j], 0, c);
        }
      }
    }
    return out;
  }

  private static int[][] argmax(float[][][] probs, float[] mask, int t) {
    int[][] out = new int[probs.length][t];
    for (int i = 0; i < probs.length; i++) {
      for (int j = 0; j < t; j++) {
        out[i][j] = mask[i * t + j] > 0 ? argmax(probs[i][j]) : -1;
      }
    }
    return out;
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int k = 1; k < v.length; k++) {
      if (v[k] > v[best]) {
        best = k;
      }
    }
    return best;
  }
}
