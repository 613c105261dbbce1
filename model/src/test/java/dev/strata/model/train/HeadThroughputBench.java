package dev.strata.model.train;

import ai.djl.ndarray.NDManager;
import dev.strata.model.head.BackboneShape;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Training throughput of the heads: not part of the test suite (the name does not end in Test). Run
 * with {@code mvn -o -pl model test -Dtest=HeadThroughputBench -Dstrata.bench.hidden=768
 * -Dstrata.bench.layers=12 -Dai.djl.pytorch.num_threads=1}.
 */
class HeadThroughputBench {

  @Test
  void stepsPerSecond() {
    int layers = Integer.getInteger("strata.bench.layers", 12);
    int hidden = Integer.getInteger("strata.bench.hidden", 768);
    int batch = Integer.getInteger("strata.bench.batch", 32);
    int tokens = Integer.getInteger("strata.bench.tokens", 32);
    int steps = Integer.getInteger("strata.bench.steps", 20);
    int seqClasses = Integer.getInteger("strata.bench.sequenceClasses", 0);
    int examples = Integer.getInteger("strata.bench.examples", batch * 2);
    String heads = System.getProperty("strata.bench.heads", "dwatt,concat,deeper,last");
    BackboneShape b =
        new BackboneShape(layers, hidden, Math.max(1, hidden / 64), 4 * hidden, 1e-12f);
    Random r = new Random(1);
    List<InMemoryFeatureSource.Example> ex = new ArrayList<>();
    for (int e = 0; e < examples; e++) {
      float[][][] s = new float[tokens][layers + 1][hidden];
      int[] labels = new int[tokens];
      for (int t = 0; t < tokens; t++) {
        for (float[] v : s[t]) {
          for (int i = 0; i < hidden; i++) {
            v[i] = (float) r.nextGaussian();
          }
        }
        labels[t] = r.nextInt(9);
      }
      ex.add(
          new InMemoryFeatureSource.Example(
              s, labels, seqClasses > 0 ? r.nextInt(seqClasses) : -1));
    }
    InMemoryFeatureSource source = InMemoryFeatureSource.of(ex);
    for (String name : heads.split(",")) {
      try (NDManager m = NDManager.newBaseManager()) {
        FusionModel.Builder mb =
            FusionModel.builder()
                .setHeadConfig(HeadConfig.of(HeadType.parse(name)))
                .setBackbone(b)
                .optTokenClasses(9);
        if (seqClasses > 0) {
          mb.optSequenceClasses(seqClasses);
        }
        FusionModel model = mb.build();
        model.initialize(m, 1);
        HeadTrainer warm =
            HeadTrainer.builder()
                .setConfig(TrainingConfig.builder().optBatchSize(batch).optMaxSteps(2).build())
                .build();
        warm.fit(model, source);
        TrainingResult res =
            HeadTrainer.builder()
                .setConfig(
                    TrainingConfig.builder()
                        .optLearningRate(
                            Float.parseFloat(System.getProperty("strata.bench.lr", "1e-3")))
                        .optBatchSize(batch)
                        .optEpochs(steps)
                        .optMaxSteps(steps)
                        .optEvalEvery(steps)
                        .build())
                .build()
                .fit(model, source);
        System.out.printf(
            Locale.ROOT,
            "BENCH head=%s S=%d H=%d batch=%dx%d params=%d threads=%s: %.2f steps/s (%.1f ms/step)%n",
            name,
            layers + 1,
            hidden,
            batch,
            tokens,
            model.head().trainableParameters(),
            System.getProperty("ai.djl.pytorch.num_threads", "default"),
            res.stepsPerSecond(),
            1000 / res.stepsPerSecond());
      }
    }
  }
}
