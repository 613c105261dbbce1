package dev.strata.model.data;

import static dev.strata.model.data.TinyCache.LABELS;
import static dev.strata.model.data.TinyCache.bert;
import static dev.strata.model.data.TinyCache.builder;
import static dev.strata.model.data.TinyCache.sentences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.strata.model.head.BackboneShape;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.FusionOutput;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.train.FeatureBatch;
import dev.strata.model.train.MaskedLoss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Word-start batches ({@link FeatureCache#wordStarts}) on the {@link TinyCache} fixture: their
 * layout, and that they train every head that keeps positions apart exactly as padded batches do.
 */
class WordStartsTest {
  @TempDir Path dir;

  @BeforeAll
  static void load() throws IOException {
    TinyCache.open();
  }

  @AfterAll
  static void close() {
    TinyCache.close();
  }

  @Test
  void wordStartsPackTheFirstSubTokenOfEveryKeptWordIntoOneRow() {
    List<Sentence> data = sentences();
    try (FeatureCache cache = builder(data, dir.resolve("w")).build();
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      // sentence 3 "cats": first sub-token 1, O; sentence 0 "John walked in Berlin": 1, 2, 4, 5;
      // sentence 4: 20 words, the last cut by the limit, so 19 positions
      try (CachedBatch b = cache.wordStarts(m, new int[] {3, 0, 4}, data, LABELS)) {
        int kept = 1 + 4 + 19;
        assertThat(b.states().getShape()).isEqualTo(new Shape(1, kept, 4, 16));
        assertThat(b.states().getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(b.mask().getShape()).isEqualTo(new Shape(1, kept));
        assertThat(b.mask().toFloatArray()).containsOnly(1f);
        long[] labels = b.labels().toLongArray();
        assertThat(labels).startsWith(0, 3, 0, 0, 1).hasSize(kept);
        assertThat(java.util.Arrays.copyOfRange(labels, 5, kept)).containsOnly(0L);
        float[] packed = b.states().toFloatArray();
        int width = 4 * 16;
        int k = 0;
        for (int i : new int[] {3, 0, 4}) {
          float[] states = cache.states(i);
          for (int t : cache.firstSubTokens(i)) {
            if (t < 0) {
              continue;
            }
            for (int j = 0; j < width; j++) {
              assertThat(packed[k * width + j])
                  .as("position %d of sentence %d", t, i)
                  .isEqualTo(states[t * width + j]);
            }
            k++;
          }
        }
        assertThat(k).isEqualTo(kept);
      }
      assertThatThrownBy(() -> cache.wordStarts(m, new int[] {0}, data.subList(0, 3), LABELS))
          .hasMessageContaining("pass the list the cache was built from");
      assertThatThrownBy(() -> cache.wordStarts(m, new int[0], data, LABELS))
          .hasMessageContaining("at least one sentence");
    }
  }

  /**
   * Training on word starts is exact for every head that keeps positions apart: the same loss and
   * the same gradient for every weight as the padded batch. {@code deeper} attends across
   * positions, so its loss differs, which is why training leaves it on padded batches.
   */
  @ParameterizedTest
  @EnumSource(HeadType.class)
  void wordStartsGiveTheLossAndGradientsOfThePaddedBatch(HeadType type) {
    List<Sentence> data = sentences();
    int[] idx = {3, 0, 4, 2};
    try (FeatureCache cache = builder(data, dir.resolve("g")).build();
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      FusionModel model =
          FusionModel.builder()
              .setHeadConfig(
                  HeadConfig.builder().setType(type).optDropout(0f).optWeightDropout(0f).build())
              .setBackbone(BackboneShape.of(bert.config))
              .optTokenClasses(LABELS.size())
              .build();
      model.initialize(m, 7);
      for (Parameter p : model.getParameters().values()) {
        p.getArray().setRequiresGradient(true);
      }
      Map<String, float[]> padded = new LinkedHashMap<>();
      float paddedLoss = lossAndGradients(model, cache.batch(m, idx, data, LABELS), padded);
      Map<String, float[]> starts = new LinkedHashMap<>();
      float startsLoss = lossAndGradients(model, cache.wordStarts(m, idx, data, LABELS), starts);
      assertThat(starts.keySet()).containsExactlyElementsOf(padded.keySet());
      float worst = 0; // largest gradient difference, relative to the gradient's largest entry
      for (String name : padded.keySet()) {
        float[] want = padded.get(name);
        float[] have = starts.get(name);
        float scale = 0;
        for (float w : want) {
          scale = Math.max(scale, Math.abs(w));
        }
        assertThat(scale).as("gradient of %s", name).isPositive();
        for (int j = 0; j < want.length; j++) {
          worst = Math.max(worst, Math.abs(have[j] - want[j]) / scale);
        }
      }
      if (type.mixesTokens()) {
        assertThat(worst).isGreaterThan(1e-2f);
      } else {
        assertThat(startsLoss).isCloseTo(paddedLoss, within(1e-5f * Math.abs(paddedLoss)));
        assertThat(worst).isLessThan(1e-5f);
      }
    }
  }

  /**
   * One forward and backward pass: the loss, and every gradient by parameter name (then zeroed).
   */
  private static float lossAndGradients(
      FusionModel model, CachedBatch b, Map<String, float[]> gradients) {
    float loss;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      ParameterStore ps = new ParameterStore(b.states().getManager(), false);
      FusionOutput out = model.run(ps, b.states(), b.mask(), true);
      NDArray l = MaskedLoss.total(out, new FeatureBatch(b.states(), b.mask(), b.labels(), null));
      collector.backward(l);
      loss = l.getFloat();
    }
    for (Parameter p : model.getParameters().values()) {
      NDArray grad = p.getArray().getGradient();
      gradients.put(p.getId(), grad.toFloatArray());
      grad.subi(grad);
    }
    return loss;
  }
}
