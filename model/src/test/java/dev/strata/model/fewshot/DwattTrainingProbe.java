package dev.strata.model.fewshot;

import dev.strata.model.backbone.CheckpointLoader;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.FewShotSampler;
import dev.strata.model.data.LabelSet;
import dev.strata.model.data.Sentence;
import dev.strata.model.data.SharedData;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.ner.LayerWeightSummary;
import dev.strata.model.ner.TaskTraining;
import dev.strata.model.ner.TrainedModel;
import dev.strata.model.train.DevPoint;
import dev.strata.model.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Diagnostic, not part of the suite, and dev-only (the test split is never scored): trains DWAtt
 * few-shot runs exactly as the sweep does (same sample, seed, schedule and step budget) under a few
 * head variants, and prints each run's dev F1 curve and, after training, how the layer weights are
 * spread on dev. Made to find out why DWAtt stalls on seed 3 of the BERT-base CoNLL-03 sweep.
 *
 * <p>Properties: {@code strata.probe.data} (conll2003, or wikiann-en), {@code strata.probe.k}
 * (200), {@code strata.probe.seeds} (1,3), {@code strata.probe.variants} (default,scaled; also
 * nodrop), {@code strata.probe.dev} (first N dev sentences, 1000), {@code strata.bench.backbone}
 * (bert-base-cased). Run with {@code mvn -o -pl model test -Dtest=DwattTrainingProbe
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class DwattTrainingProbe {
  private static final Map<String, HeadConfig> VARIANTS = new LinkedHashMap<>();

  static {
    VARIANTS.put("default", HeadConfig.of(HeadType.DWATT));
    VARIANTS.put(
        "scaled", HeadConfig.builder().setType(HeadType.DWATT).optScaleLogits(true).build());
    VARIANTS.put(
        "nodrop", HeadConfig.builder().setType(HeadType.DWATT).optWeightDropout(0f).build());
  }

  @Test
  void trainedLayerWeights() throws IOException {
    String name = System.getProperty("strata.bench.backbone", "bert-base-cased");
    int k = Integer.getInteger("strata.probe.k", 200);
    List<Integer> seeds = ints(System.getProperty("strata.probe.seeds", "1,3"));
    List<String> variants =
        List.of(System.getProperty("strata.probe.variants", "default,scaled").split(","));
    int devLimit = Integer.getInteger("strata.probe.dev", 1000);
    PrintStream log = System.out;

    String dataName = System.getProperty("strata.probe.data", "conll2003");
    DataSets.Splits data = DataSets.load(dataName, SharedData.require(dataName).getParent());
    List<Sentence> dev = data.dev().subList(0, Math.min(devLimit, data.dev().size()));
    List<Sentence> everything = new ArrayList<>(data.train());
    everything.addAll(data.dev());
    everything.addAll(data.test()); // label inventory only, as the sweep builds it
    LabelSet labels = LabelSet.fromSentences(everything);
    TrainingConfig base =
        TrainingConfig.builder()
            .optLearningRate(1e-3f)
            .optWeightDecay(0.01f)
            .optWarmupFraction(0.1f)
            .optBatchSize(32)
            .optEpochs(10)
            .optPatience(5)
            .optSeed(1)
            .build();
    FewShotSweep.Spec spec =
        new FewShotSweep.Spec(
            List.of(SweepHead.of(HeadType.DWATT)), List.of(k), seeds, base, 200, 8, 0, 0, 0);
    try (LoadedBackbone bb = LoadedBackbone.open(name, "cpu")) {
      TaskTraining.Options encodeOnly =
          new TaskTraining.Options(
              HeadConfig.of(HeadType.LAST), base, CheckpointLoader.defaultCacheDir(), null);
      TaskTraining.CachedData train =
          TaskTraining.CachedData.of(bb, "training", data.train(), encodeOnly);
      TaskTraining.CachedData devData = TaskTraining.CachedData.of(bb, "dev", dev, encodeOnly);
      try {
        for (int seed : seeds) {
          int[] sample = FewShotSampler.sampleIndices(data.train(), k, seed);
          for (String variant : variants) {
            HeadConfig head = VARIANTS.get(variant.trim());
            if (head == null) {
              throw new IllegalArgumentException(
                  "unknown variant '" + variant + "'; known: " + VARIANTS.keySet());
            }
            TrainingConfig cfg = FewShotSweep.configFor(spec, sample.length, seed);
            TaskTraining.Options o =
                new TaskTraining.Options(head, cfg, CheckpointLoader.defaultCacheDir(), null);
            long t0 = System.nanoTime();
            try (TrainedModel m = TaskTraining.trainTagger(bb, train, sample, devData, labels, o)) {
              StringBuilder curve = new StringBuilder();
              for (DevPoint p : m.result().history()) {
                curve.append(String.format(Locale.ROOT, " %d:%.1f", p.step(), 100 * p.score()));
              }
              log.printf(
                  Locale.ROOT,
                  "k=%d seed=%d %-8s best dev F1 %.2f at step %d, final loss %.4f, %.0f s; dev"
                      + " curve%s%n  trained: %s%n",
                  k,
                  seed,
                  variant,
                  100 * m.result().bestDevScore(),
                  m.result().bestStep(),
                  m.result().finalLoss(),
                  (System.nanoTime() - t0) / 1e9,
                  curve,
                  LayerWeightSummary.of(m.model(), devData.cache(), 256).describe());
            }
          }
        }
      } finally {
        train.cache().close();
        devData.cache().close();
      }
    }
  }

  private static List<Integer> ints(String csv) {
    List<Integer> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      out.add(Integer.parseInt(s.trim()));
    }
    return out;
  }
}
