package dev.strata.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.strata.model.head.BackboneRef;
import dev.strata.model.head.BackboneShape;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadModelFile;
import dev.strata.model.head.HeadType;
import dev.strata.model.head.SaveInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on synthetic tasks with known answers, early stopping, determinism, no leaks. */
class HeadTrainerTest {
  static final BackboneShape B = new BackboneShape(3, 8, 2, 16, 1e-12f);

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private FusionModel model(HeadType type, int tokenClasses, int sequenceClasses) {
    FusionModel.Builder b =
        FusionModel.builder()
            .setHeadConfig(HeadConfig.builder().setType(type).optDeeperLayers(1).build())
            .setBackbone(B);
    if (tokenClasses > 0) {
      b.optTokenClasses(tokenClasses);
    }
    if (sequenceClasses > 0) {
      b.optSequenceClasses(sequenceClasses);
    }
    FusionModel m = b.build();
    m.initialize(manager, 7);
    return m;
  }

  /** A parameter by its name without DJL's child-number prefixes ("01head_x" is "head_x"). */
  static ai.djl.nn.Parameter param(ai.djl.nn.Block block, String name) {
    for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : block.getParameters()) {
      if (p.getKey().replaceAll("(^|_)\\d\\d", "$1").equals(name)) {
        return p.getValue();
      }
    }
    throw new AssertionError("no parameter " + name);
  }

  private static TrainingConfig.Builder config() {
    return TrainingConfig.builder()
        .optLearningRate(1e-2f)
        .optBatchSize(32)
        .optEpochs(30)
        .optEvalEvery(40)
        .optPatience(0)
        .optSeed(11);
  }

  @Test
  void dwattFindsTheLayerThatCarriesTheSignalAndLastCannot() {
    InMemoryFeatureSource train = Synthetic.whichLayer(1, 256, 5, 4, 8);
    InMemoryFeatureSource dev = Synthetic.whichLayer(2, 64, 5, 4, 8);

    FusionModel dwatt = model(HeadType.DWATT, 4, 4);
    List<String> lines = new ArrayList<>();
    TrainingResult r =
        HeadTrainer.builder()
            .setConfig(config().build())
            .optEvaluator(m -> HeadPredictor.tokenAccuracy(m, dev, manager, 64))
            .optListener(p -> lines.add(p.line()))
            .build()
            .fit(dwatt, train);
    assertThat(r.steps()).isEqualTo(240);
    assertThat(r.bestDevScore()).isGreaterThan(0.9);
    assertThat(HeadPredictor.tokenAccuracy(dwatt, dev, manager, 64)).isEqualTo(r.bestDevScore());
    assertThat(HeadPredictor.sequenceAccuracy(dwatt, dev, manager, 64)).isGreaterThan(0.8);
    assertThat(r.history()).hasSize(6);
    assertThat(lines).hasSize(6);
    assertThat(lines.get(5)).startsWith("step 240/240 epoch 30 loss ").contains(" dev ");

    FusionModel last = model(HeadType.LAST, 4, 0);
    TrainingResult lr =
        HeadTrainer.builder()
            .setConfig(config().build())
            .optEvaluator(m -> HeadPredictor.tokenAccuracy(m, dev, manager, 64))
            .build()
            .fit(last, train);
    assertThat(lr.bestDevScore()).isLessThan(0.65);
  }

  @Test
  void lastLearnsATokenTaskOnTheLastLayer() {
    InMemoryFeatureSource train = Synthetic.lastLayerArgmax(3, 256, 8, 4, 8);
    InMemoryFeatureSource dev = Synthetic.lastLayerArgmax(4, 64, 8, 4, 8);
    FusionModel last = model(HeadType.LAST, 3, 0);
    TrainingResult r =
        HeadTrainer.builder()
            .setConfig(config().build())
            .optEvaluator(m -> HeadPredictor.tokenAccuracy(m, dev, manager, 64))
            .build()
            .fit(last, train);
    assertThat(r.bestDevScore()).isGreaterThan(0.9);
  }

  @Test
  void earlyStoppingRestoresTheBestWeights() {
    InMemoryFeatureSource train = Synthetic.whichLayer(1, 64, 5, 4, 8);
    FusionModel model = model(HeadType.DWATT, 4, 0);
    double[] scores = {0.1, 0.5, 0.9, 0.4, 0.3, 0.95};
    List<float[]> seen = new ArrayList<>();
    TrainingResult r =
        HeadTrainer.builder()
            .setConfig(config().optEvalEvery(1).optPatience(2).optBatchSize(8).build())
            .optEvaluator(
                m -> {
                  seen.add(param(m, "head_valueUp").getArray().toFloatArray());
                  return scores[seen.size() - 1];
                })
            .build()
            .fit(model, train);
    assertThat(r.stoppedEarly()).isTrue();
    assertThat(r.steps()).isEqualTo(5);
    assertThat(r.bestStep()).isEqualTo(3);
    assertThat(r.bestDevScore()).isEqualTo(0.9);
    assertThat(r.history()).extracting(DevPoint::step).containsExactly(1, 2, 3, 4, 5);
    float[] now = param(model, "head_valueUp").getArray().toFloatArray();
    assertThat(now).containsExactly(seen.get(2));
    assertThat(now).isNotEqualTo(seen.get(4));
  }

  @Test
  void sameSeedSameWeights() {
    InMemoryFeatureSource train = Synthetic.whichLayer(1, 64, 5, 4, 8);
    float[][] finals = new float[2][];
    for (int run = 0; run < 2; run++) {
      FusionModel model = model(HeadType.CONCAT, 4, 0);
      HeadTrainer.builder()
          .setConfig(config().optEpochs(2).optBatchSize(16).build())
          .build()
          .fit(model, train);
      finals[run] = param(model, "head_projection").getArray().toFloatArray();
    }
    assertThat(finals[1]).containsExactly(finals[0]);
  }

  @Test
  void stepsDoNotLeaveArraysBehind() {
    InMemoryFeatureSource train = Synthetic.whichLayer(1, 64, 5, 4, 8);
    for (HeadType type : HeadType.values()) {
      FusionModel model = model(type, 4, 4);
      HeadTrainer trainer =
          HeadTrainer.builder().setConfig(config().optEpochs(1).optBatchSize(16).build()).build();
      trainer.fit(model, train);
      int after = manager.getManagedArrays().size();
      trainer.fit(model, train);
      assertThat(manager.getManagedArrays().size()).as(type.id()).isEqualTo(after);
    }
  }

  @Test
  void aLoadedModelTrainsOn(@TempDir Path dir) {
    InMemoryFeatureSource train = Synthetic.whichLayer(1, 64, 5, 4, 8);
    Path file = dir.resolve("m.strata-head");
    BackboneRef ref = new BackboneRef("tiny", "c1");
    FusionModel model = model(HeadType.DWATT, 4, 0);
    HeadModelFile.write(
        file,
        model,
        new SaveInfo(ref, List.of("a", "b", "c", "d"), List.of(), config().build().asMap(), null));
    try (NDManager other = NDManager.newBaseManager()) {
      FusionModel loaded = HeadModelFile.read(file, ref, other).model();
      float[] before = param(loaded, "head_valueUp").getArray().toFloatArray();
      TrainingResult r =
          HeadTrainer.builder()
              .setConfig(config().optEpochs(1).optBatchSize(16).build())
              .build()
              .fit(loaded, train);
      assertThat(r.steps()).isEqualTo(4);
      assertThat(r.bestStep()).isEqualTo(-1);
      assertThat(r.history()).isEmpty();
      assertThat(param(loaded, "head_valueUp").getArray().toFloatArray()).isNotEqualTo(before);
    }
  }

  @Test
  void lengthBucketsBatchSimilarLengthsAndStillSeeEveryExample() {
    InMemoryFeatureSource data = Synthetic.whichLayer(1, 64, 5, 4, 8);
    int[] lengths = new int[data.size()];
    java.util.Random r = new java.util.Random(5);
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = 1 + r.nextInt(60);
    }
    java.util.List<int[]> seen = new java.util.ArrayList<>();
    FeatureBatchSource recording =
        new FeatureBatchSource() {
          @Override
          public int size() {
            return data.size();
          }

          @Override
          public FeatureBatch batch(NDManager m, int[] indices) {
            seen.add(indices.clone());
            return data.batch(m, indices);
          }

          @Override
          public int length(int index) {
            return lengths[index];
          }
        };
    FusionModel m = model(HeadType.LAST, 4, 4);
    HeadTrainer.builder()
        .setConfig(config().optBatchSize(8).optEpochs(1).build())
        .optLengthBuckets(100)
        .build()
        .fit(m, recording);
    assertThat(seen).hasSize(8);
    java.util.Set<Integer> all = new java.util.TreeSet<>();
    int spread = 0;
    for (int[] b : seen) {
      int min = Integer.MAX_VALUE;
      int max = 0;
      for (int i : b) {
        all.add(i);
        min = Math.min(min, lengths[i]);
        max = Math.max(max, lengths[i]);
      }
      spread = Math.max(spread, max - min);
    }
    assertThat(all).hasSize(64);
    // sorted windows: a batch spans a narrow length band (random batches span nearly 1..60)
    assertThat(spread).isLessThan(20);
  }
}
