package dev.strata.model.ner;

import ai.djl.ndarray.NDManager;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.FeatureCache;
import dev.strata.model.data.LabelSet;
import dev.strata.model.data.Sentence;
import dev.strata.model.head.BackboneShape;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
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
    System.out.printf(
        Locale.ROOT,
        "seed %d: %s%n",
        seed,
        LayerWeightSummary.of(model, cache, sentences).describe());
  }
}
