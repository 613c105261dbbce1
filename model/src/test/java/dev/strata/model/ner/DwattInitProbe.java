package dev.strata.model.ner;

import ai.djl.ndarray.NDManager;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.CachedBatch;
import dev.strata.model.data.FeatureCache;
import dev.strata.model.data.LabelSet;
import dev.strata.model.data.Sentence;
import dev.strata.model.head.BackboneShape;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.train.FeatureBatch;
import dev.strata.model.train.HeadPredictor;
import dev.strata.model.train.Prediction;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Diagnostic, not part of the suite: how freshly initialised DWAtt heads (seeds 1–5, as the
 * few-shot sweep initialises them) spread their layer weights over BERT-base's 13 states on
 * CoNLL-03 dev sentences, with and without the 1/√H logit scale. Prints, per seed, the mean weight
 * of each layer, the top layer and the mean per-token maximum weight (1.0 = one-hot, saturated
 * softmax). Run with {@code mvn -o -pl model test -Dtest=DwattInitProbe
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class DwattInitProbe {

  @Test
  void layerWeightsAtInitialisation() throws IOException {
    String name = System.getProperty("strata.bench.backbone", "bert-base-cased");
    int sentences = Integer.getInteger("strata.probe.sentences", 256);
    List<Sentence> dev = CachedDev.sentences();
    LabelSet labels = LabelSet.fromSentences(dev);
    try (LoadedBackbone bb = LoadedBackbone.open(name, "cpu");
        NDManager manager = NDManager.newBaseManager("PyTorch")) {
      TaskTraining.CachedData data = CachedDev.states(bb, dev, null);
      try {
        FeatureCache cache = data.cache();
        for (boolean scale : new boolean[] {false, true}) {
          System.out.printf(
              "%n== DWAtt layer weights at initialisation, scaleLogits=%s ==%n", scale);
          for (int seed = 1; seed <= 5; seed++) {
            FusionModel model =
                FusionModel.builder()
                    .setHeadConfig(
                        HeadConfig.builder().setType(HeadType.DWATT).optScaleLogits(scale).build())
                    .setBackbone(BackboneShape.of(bb.encoder().config()))
                    .optTokenClasses(labels.size())
                    .build();
            model.initialize(manager, seed);
            report(seed, model, cache, Math.min(sentences, cache.size()));
          }
        }
      } finally {
        data.cache().close();
      }
    }
  }

  private static void report(int seed, FusionModel model, FeatureCache cache, int sentences) {
    double[] mean = null;
    double maxSum = 0;
    long tokens = 0;
    for (int from = 0; from < sentences; from += 32) {
      int[] idx = java.util.stream.IntStream.range(from, Math.min(sentences, from + 32)).toArray();
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
    StringBuilder sb = new StringBuilder();
    int top = 0;
    for (int s = 0; s < mean.length; s++) {
      mean[s] /= tokens;
      top = mean[s] > mean[top] ? s : top;
      sb.append(String.format(Locale.ROOT, " %.2f", mean[s]));
    }
    System.out.printf(
        Locale.ROOT,
        "seed %d: top layer %2d, mean max weight %.3f, mean weights by layer 0..%d:%s%n",
        seed,
        top,
        maxSum / tokens,
        mean.length - 1,
        sb);
  }
}
