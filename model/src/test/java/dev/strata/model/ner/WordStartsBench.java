package dev.strata.model.ner;

import ai.djl.ndarray.NDManager;
import dev.strata.model.backbone.CheckpointLoader;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.bench.Stats;
import dev.strata.model.data.ConllReader;
import dev.strata.model.data.FeatureCache;
import dev.strata.model.data.LabelSet;
import dev.strata.model.data.Sentence;
import dev.strata.model.data.SharedData;
import dev.strata.model.head.BackboneShape;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.ner.EntityTagger.CachedPositions;
import dev.strata.model.train.HeadTrainer;
import dev.strata.model.train.TrainingConfig;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Training and dev-evaluation speed of a head on padded batches against word-start batches ({@link
 * dev.strata.model.data.FeatureCache#wordStarts}), alternating per repetition: training on the
 * cached CoNLL-03 training set (the batches of a {@code full} run: 32 shuffled sentences), and
 * tagging the cached dev set as the sweep's early stopping does (32 sentences per batch, sorted by
 * length). Prints ms per step, s per dev pass and whether the dev tags agree; asserts nothing about
 * time. Not part of the test suite (the name does not end in Test). Run with {@code mvn -o -pl
 * model test -Dtest=WordStartsBench -Dsurefire.failIfNoSpecifiedTests=false}, optionally {@code
 * -Dstrata.bench.backbone=bert-base-cased -Dstrata.bench.heads=last,concat,dwatt
 * -Dstrata.bench.steps=30 -Dstrata.bench.reps=5}.
 */
class WordStartsBench {

  @Test
  void paddedAgainstWordStarts() throws IOException {
    String name = System.getProperty("strata.bench.backbone", "bert-base-cased");
    String heads = System.getProperty("strata.bench.heads", "last,concat,dwatt");
    int steps = Integer.getInteger("strata.bench.steps", 30);
    int reps = Integer.getInteger("strata.bench.reps", 5);
    java.nio.file.Path conll = SharedData.require("conll2003");
    List<Sentence> train = ConllReader.create().read(conll.resolve("train.txt"));
    List<Sentence> dev = ConllReader.create().read(conll.resolve("dev.txt"));
    LabelSet labels = LabelSet.fromSentences(train);
    TrainingConfig config =
        TrainingConfig.builder()
            .optLearningRate(1e-3f)
            .optBatchSize(32)
            .optEpochs(1)
            .optMaxSteps(steps)
            .optSeed(1)
            .build();
    try (LoadedBackbone bb = LoadedBackbone.open(name, "cpu")) {
      TaskTraining.Options encodeOnly =
          new TaskTraining.Options(
              HeadConfig.of(HeadType.LAST), config, CheckpointLoader.defaultCacheDir(), null);
      TaskTraining.CachedData data = TaskTraining.CachedData.of(bb, "training", train, encodeOnly);
      TaskTraining.CachedData devData = TaskTraining.CachedData.of(bb, "dev", dev, encodeOnly);
      try {
        CachedTaskSource padded = CachedTaskSource.tagging(data.cache(), train, labels);
        CachedTaskSource starts = padded.wordStartsOnly();
        System.out.printf(
            Locale.ROOT,
            "%n== WordStartsBench: %s, CoNLL-03 train (%d sentences), batch 32, %d steps per"
                + " timing, %d reps (alternating order) ==%n",
            name,
            train.size(),
            steps,
            reps);
        for (String h : heads.split(",")) {
          HeadConfig head = HeadConfig.of(HeadType.parse(h));
          BackboneShape shape = BackboneShape.of(bb.encoder().config());
          msPerStep(head, shape, labels, config, padded); // warm-up
          msPerStep(head, shape, labels, config, starts);
          double[] p = new double[reps];
          double[] w = new double[reps];
          double[] ratio = new double[reps];
          for (int r = 0; r < reps; r++) {
            if (r % 2 == 0) {
              p[r] = msPerStep(head, shape, labels, config, padded);
              w[r] = msPerStep(head, shape, labels, config, starts);
            } else {
              w[r] = msPerStep(head, shape, labels, config, starts);
              p[r] = msPerStep(head, shape, labels, config, padded);
            }
            ratio[r] = p[r] / w[r];
          }
          System.out.printf(
              Locale.ROOT,
              "%-8s train: padded %s ms/step   word starts %s ms/step   speed-up %s%n",
              h,
              Stats.of(p).format("%.0f"),
              Stats.of(w).format("%.0f"),
              Stats.of(ratio).format("%.2f"));
          evaluation(h, head, shape, labels, config, starts, devData.cache(), reps);
        }
      } finally {
        data.cache().close();
        devData.cache().close();
      }
    }
  }

  /** Times dev tagging with every position against word starts, on a briefly trained head. */
  private static void evaluation(
      String h,
      HeadConfig head,
      BackboneShape shape,
      LabelSet labels,
      TrainingConfig config,
      CachedTaskSource train,
      FeatureCache dev,
      int reps) {
    FusionModel model = newModel(head, shape, labels);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      model.initialize(m, 1);
      HeadTrainer.builder().setConfig(config).build().fit(model, train);
      tag(model, labels, dev, CachedPositions.ALL); // warm-up
      double[] all = new double[reps];
      double[] starts = new double[reps];
      double[] ratio = new double[reps];
      int differing = 0;
      for (int r = 0; r < reps; r++) {
        long t0 = System.nanoTime();
        List<List<String>> a =
            tag(model, labels, dev, r % 2 == 0 ? CachedPositions.ALL : CachedPositions.WORD_STARTS);
        long t1 = System.nanoTime();
        List<List<String>> b =
            tag(model, labels, dev, r % 2 == 0 ? CachedPositions.WORD_STARTS : CachedPositions.ALL);
        long t2 = System.nanoTime();
        all[r] = (r % 2 == 0 ? t1 - t0 : t2 - t1) / 1e9;
        starts[r] = (r % 2 == 0 ? t2 - t1 : t1 - t0) / 1e9;
        ratio[r] = all[r] / starts[r];
        for (int i = 0; i < a.size(); i++) {
          differing += a.get(i).equals(b.get(i)) ? 0 : 1;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%-8s dev:   every position %s s/pass   word starts %s s/pass   speed-up %s;"
              + " sentences whose tags differ: %d of %d x %d reps%n",
          h,
          Stats.of(all).format("%.2f"),
          Stats.of(starts).format("%.2f"),
          Stats.of(ratio).format("%.2f"),
          differing,
          dev.size(),
          reps);
    }
  }

  private static List<List<String>> tag(
      FusionModel model, LabelSet labels, FeatureCache cache, CachedPositions positions) {
    return EntityTagger.predictTags(
        model,
        labels,
        cache,
        32,
        TagDecoding.IOB2_VITERBI,
        EntityTagger.CachedOrder.BY_LENGTH,
        positions);
  }

  private static FusionModel newModel(HeadConfig head, BackboneShape shape, LabelSet labels) {
    return FusionModel.builder()
        .setHeadConfig(head)
        .setBackbone(shape)
        .optTokenClasses(labels.size())
        .build();
  }

  /** Trains a fresh head for the configured steps on {@code source}; wall ms per step. */
  private static double msPerStep(
      HeadConfig head,
      BackboneShape shape,
      LabelSet labels,
      TrainingConfig config,
      CachedTaskSource source) {
    FusionModel model = newModel(head, shape, labels);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      model.initialize(m, 1);
      long t0 = System.nanoTime();
      int done = HeadTrainer.builder().setConfig(config).build().fit(model, source).steps();
      return (System.nanoTime() - t0) / 1e6 / done;
    }
  }
}
