package dev.strata.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedule, the loss, the config and the in-memory batches, checked by hand. */
class TrainingPartsTest {

  @Test
  void scheduleWarmsUpThenDecaysLinearly() {
    WarmupLinearDecay s = new WarmupLinearDecay(1f, 2, 6);
    float[] expected = {0.5f, 1f, 1f, 0.75f, 0.5f, 0.25f};
    for (int step = 1; step <= 6; step++) {
      assertThat(s.getNewValue(step))
          .as("step %d", step)
          .isCloseTo(expected[step - 1], within(1e-6f));
    }
    assertThat(new WarmupLinearDecay(1f, 0, 4).getNewValue(1)).isEqualTo(1f);
  }

  @Test
  void maskedCrossEntropyAveragesOverLabelledPositionsOnly() {
    try (NDManager m = NDManager.newBaseManager()) {
      // row 0: two labelled tokens and one ignored; row 1: one labelled token, one padding
      NDArray logits =
          m.create(
              new float[] {2, 0, 0, 1, 1, 0, 9, 9, 9, 0, 0, 3, 5, 5, 5, 7, 7, 7},
              new Shape(2, 3, 3));
      NDArray labels = m.create(new long[] {0, 1, -1, 2, 1, 0}, new Shape(2, 3));
      NDArray mask = m.create(new float[] {1, 1, 1, 1, 1, 0}, new Shape(2, 3));
      double l0 = Math.log(1 + 2 * Math.exp(-2)); // -log softmax(2,0,0)[0]
      double l1 = Math.log(2 + Math.exp(-1)); // -log softmax(1,1,0)[1]
      double l2 = Math.log(2 * Math.exp(-3) + 1); // -log softmax(0,0,3)[2]
      double l3 = Math.log(3); // uniform
      float loss = MaskedLoss.crossEntropy(logits, labels, mask).getFloat();
      assertThat((double) loss).isCloseTo((l0 + l1 + l2 + l3) / 4, within(1e-5));
      NDArray tooBig = m.create(new long[] {0, 3, -1, 2, 1, 0}, new Shape(2, 3));
      assertThatThrownBy(() -> MaskedLoss.crossEntropy(logits, tooBig, mask))
          .hasMessageContaining("label 3")
          .hasMessageContaining("3 classes");
    }
  }

  @Test
  void configNamesTheBadField() {
    assertThatThrownBy(() -> TrainingConfig.builder().optLearningRate(0).build())
        .hasMessageContaining("learningRate");
    assertThatThrownBy(() -> TrainingConfig.builder().optWarmupFraction(1f).build())
        .hasMessageContaining("warmupFraction");
    assertThatThrownBy(() -> TrainingConfig.builder().optBatchSize(0).build())
        .hasMessageContaining("batchSize");
    TrainingConfig c = TrainingConfig.builder().optBatchSize(32).optEpochs(3).build();
    assertThat(c.totalSteps(100)).isEqualTo(12);
    assertThat(TrainingConfig.builder().optBatchSize(32).optMaxSteps(5).build().totalSteps(100))
        .isEqualTo(5);
    assertThat(c.asMap()).containsEntry("optimizer", "AdamW").containsEntry("batchSize", 32);
  }

  @Test
  void inMemoryBatchesPadToTheLongestExample() {
    float[][][] a = new float[3][2][2];
    float[][][] b = new float[1][2][2];
    a[2][1][1] = 7f;
    b[0][0][0] = 5f;
    InMemoryFeatureSource source =
        InMemoryFeatureSource.of(
            List.of(
                new InMemoryFeatureSource.Example(a, new int[] {-1, 1, 2}, 0),
                new InMemoryFeatureSource.Example(b, new int[] {3}, 1)));
    try (NDManager m = NDManager.newBaseManager()) {
      FeatureBatch batch = source.batch(m, new int[] {1, 0});
      assertThat(batch.states().getShape()).isEqualTo(new Shape(2, 3, 2, 2));
      assertThat(batch.mask().toFloatArray()).containsExactly(1, 0, 0, 1, 1, 1);
      assertThat(batch.tokenLabels().toLongArray()).containsExactly(3, -1, -1, -1, 1, 2);
      assertThat(batch.sequenceLabels().toLongArray()).containsExactly(1, 0);
      assertThat(batch.states().get("0, 0, 0, 0").getFloat()).isEqualTo(5f);
      assertThat(batch.states().get("1, 2, 1, 1").getFloat()).isEqualTo(7f);
      assertThatThrownBy(() -> new FeatureBatch(batch.states(), batch.tokenLabels(), null, null))
          .hasMessageContaining("mask must be float32");
    }
  }
}
