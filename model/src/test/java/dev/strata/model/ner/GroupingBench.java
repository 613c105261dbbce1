package dev.strata.model.ner;

import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.bench.Stats;
import dev.strata.model.data.ConllReader;
import dev.strata.model.data.Sentence;
import dev.strata.model.data.SharedData;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.ner.MultiHeadAnnotator.Batching;
import dev.strata.model.train.TrainingConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inference throughput of one annotate call of N texts with windows in input order against windows
 * grouped by length, alternating per repetition on the same texts; prints numbers, asserts nothing
 * about time. Not part of the test suite (the name does not end in Test). Run with {@code mvn -o
 * -pl model test -Dtest=GroupingBench -Dsurefire.failIfNoSpecifiedTests=false}, optionally {@code
 * -Dstrata.bench.backbone=bert-base-cased -Dstrata.bench.batch=32 -Dstrata.bench.reps=7
 * -Dstrata.bench.model=FILE} (a trained model; without it a head is trained for a few steps: the
 * weights do not change the cost). Texts: CoNLL-03 test sentences, detokenised by spaces.
 */
class GroupingBench {
  @TempDir Path work;

  @Test
  void inputOrderAgainstLengthGroups() throws java.io.IOException {
    String name = System.getProperty("strata.bench.backbone", "bert-base-cased");
    int batch = Integer.getInteger("strata.bench.batch", 32);
    int reps = Integer.getInteger("strata.bench.reps", 7);
    Path conll = SharedData.require("conll2003");
    List<Sentence> test = ConllReader.create().read(conll.resolve("test.txt"));
    try (LoadedBackbone bb = LoadedBackbone.open(name, "cpu");
        EntityTagger tagger = tagger(bb, conll)) {
      List<List<String>> batches = new ArrayList<>();
      for (int r = 0; r < reps + 1; r++) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          texts.add(String.join(" ", test.get((r * batch + i) % test.size()).words()));
        }
        batches.add(texts);
      }
      tagger.annotate(batches.get(0), Batching.INPUT_ORDER); // warm-up
      tagger.annotate(batches.get(0), Batching.LENGTH_GROUPS);
      double[] inOrder = new double[reps];
      double[] grouped = new double[reps];
      double[] ratio = new double[reps];
      for (int r = 0; r < reps; r++) {
        List<String> texts = batches.get(r + 1);
        boolean groupedFirst = r % 2 == 1;
        if (groupedFirst) {
          grouped[r] = rate(tagger, texts, Batching.LENGTH_GROUPS);
          inOrder[r] = rate(tagger, texts, Batching.INPUT_ORDER);
        } else {
          inOrder[r] = rate(tagger, texts, Batching.INPUT_ORDER);
          grouped[r] = rate(tagger, texts, Batching.LENGTH_GROUPS);
        }
        ratio[r] = grouped[r] / inOrder[r];
      }
      System.out.printf(
          "%n== GroupingBench: %s, %d texts per call, %d reps (alternating order) ==%n"
              + "input order    texts/s  %s%n"
              + "length groups  texts/s  %s%n"
              + "ratio grouped/in order  %s%n",
          name,
          batch,
          reps,
          Stats.of(inOrder).format("%.1f"),
          Stats.of(grouped).format("%.1f"),
          Stats.of(ratio).format("%.2f"));
    }
  }

  private static double rate(EntityTagger tagger, List<String> texts, Batching batching) {
    long t0 = System.nanoTime();
    tagger.annotate(texts, batching);
    return texts.size() / ((System.nanoTime() - t0) / 1e9);
  }

  private EntityTagger tagger(LoadedBackbone bb, Path conll) throws java.io.IOException {
    String model = System.getProperty("strata.bench.model");
    if (model != null) {
      return EntityTagger.load(Path.of(model), bb);
    }
    List<Sentence> train = ConllReader.create().read(conll.resolve("train.txt")).subList(0, 32);
    TaskTraining.Options o =
        new TaskTraining.Options(
            HeadConfig.of(HeadType.DWATT),
            TrainingConfig.builder().optBatchSize(16).optEpochs(1).optSeed(1).build(),
            work,
            null);
    return TaskTraining.trainTagger(bb, train, null, o).tagger();
  }
}
