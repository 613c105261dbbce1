package dev.strata.model.ner;

import ai.djl.ndarray.NDManager;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.bench.Stats;
import dev.strata.model.data.FeatureCache;
import dev.strata.model.data.LabelSet;
import dev.strata.model.data.Sentence;
import dev.strata.model.head.BackboneShape;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.ner.EntityTagger.CachedOrder;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cost of one dev evaluation (every cached CoNLL-03 dev sentence through a head, then Viterbi
 * decoding) with batches cut in file order against batches of sentences sorted by length,
 * alternating per repetition; prints numbers and how many sentences' tags differ between the two,
 * asserts nothing about time. This is the evaluation the few-shot sweep runs 8 times per run.
 *
 * <p>Not part of the test suite (the name does not end in Test). Run with {@code mvn -o -pl model
 * test -Dtest=EvalOrderBench -Dsurefire.failIfNoSpecifiedTests=false}, optionally {@code
 * -Dstrata.bench.backbone=bert-base-cased -Dstrata.bench.heads=dwatt,deeper -Dstrata.bench.reps=3
 * -Dstrata.bench.batch=32}. Heads are freshly initialised: the weights do not change the cost.
 * Encoder states come from the default cache directory (encoded on first use).
 */
class EvalOrderBench {

  @Test
  void fileOrderAgainstLengthSortedBatches() throws IOException {
    String name = System.getProperty("strata.bench.backbone", "bert-base-cased");
    List<String> heads =
        List.of(System.getProperty("strata.bench.heads", "dwatt,deeper").split(","));
    int reps = Integer.getInteger("strata.bench.reps", 3);
    int batch = Integer.getInteger("strata.bench.batch", 32);
    List<Sentence> dev = CachedDev.sentences();
    LabelSet labels = LabelSet.fromSentences(dev);
    try (LoadedBackbone bb = LoadedBackbone.open(name, "cpu");
        NDManager manager = NDManager.newBaseManager("PyTorch")) {
      TaskTraining.CachedData data = CachedDev.states(bb, dev, System.out);
      try {
        FeatureCache cache = data.cache();
        System.out.printf(
            "%n== EvalOrderBench: %s, %d dev sentences, batch %d, %d reps ==%n"
                + "padding share of positions: file order %.1f%%, sorted by length %.1f%%%n",
            name,
            cache.size(),
            batch,
            reps,
            100 * paddingShare(cache, EntityTagger.byLength(cache), batch, false),
            100 * paddingShare(cache, EntityTagger.byLength(cache), batch, true));
        for (String h : heads) {
          FusionModel model =
              FusionModel.builder()
                  .setHeadConfig(HeadConfig.of(HeadType.parse(h.trim())))
                  .setBackbone(BackboneShape.of(bb.encoder().config()))
                  .optTokenClasses(labels.size())
                  .build();
          model.initialize(manager, 1);
          run(h.trim(), model, labels, cache, batch, reps);
        }
      } finally {
        data.cache().close();
      }
    }
  }

  private static void run(
      String head, FusionModel model, LabelSet labels, FeatureCache cache, int batch, int reps) {
    tags(model, labels, cache, batch, CachedOrder.BY_LENGTH); // warm-up
    double[] input = new double[reps];
    double[] sorted = new double[reps];
    double[] ratio = new double[reps];
    int differing = 0;
    for (int r = 0; r < reps; r++) {
      boolean sortedFirst = r % 2 == 1;
      long t0 = System.nanoTime();
      List<List<String>> a =
          tags(
              model, labels, cache, batch, sortedFirst ? CachedOrder.BY_LENGTH : CachedOrder.INPUT);
      long t1 = System.nanoTime();
      List<List<String>> b =
          tags(
              model, labels, cache, batch, sortedFirst ? CachedOrder.INPUT : CachedOrder.BY_LENGTH);
      long t2 = System.nanoTime();
      double first = (t1 - t0) / 1e9;
      double second = (t2 - t1) / 1e9;
      input[r] = sortedFirst ? second : first;
      sorted[r] = sortedFirst ? first : second;
      ratio[r] = input[r] / sorted[r];
      for (int i = 0; i < a.size(); i++) {
        differing += a.get(i).equals(b.get(i)) ? 0 : 1;
      }
    }
    System.out.printf(
        "%s: file order s/eval %s%n%s: sorted     s/eval %s%n%s: speed-up file/sorted %s;"
            + " sentences whose tags differ: %d of %d x %d reps%n",
        head,
        Stats.of(input).format("%.2f"),
        head,
        Stats.of(sorted).format("%.2f"),
        head,
        Stats.of(ratio).format("%.2f"),
        differing,
        cache.size(),
        reps);
  }

  private static List<List<String>> tags(
      FusionModel model, LabelSet labels, FeatureCache cache, int batch, CachedOrder order) {
    return EntityTagger.predictTags(
        model,
        labels,
        cache,
        batch,
        TagDecoding.IOB2_VITERBI,
        order,
        EntityTagger.CachedPositions.ALL); // padding is what the order changes
  }

  /** Share of padded positions when the cache is cut into batches in file or sorted order. */
  private static double paddingShare(
      FeatureCache cache, int[] byLength, int batch, boolean sorted) {
    long positions = 0;
    long tokens = 0;
    for (int from = 0; from < cache.size(); from += batch) {
      int to = Math.min(cache.size(), from + batch);
      int max = 0;
      for (int j = from; j < to; j++) {
        int t = cache.tokens(sorted ? byLength[j] : j);
        max = Math.max(max, t);
        tokens += t;
      }
      positions += (long) max * (to - from);
    }
    return 1 - (double) tokens / positions;
  }
}
