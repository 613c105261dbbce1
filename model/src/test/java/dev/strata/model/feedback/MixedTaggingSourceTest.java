package dev.strata.model.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.strata.model.data.LabelSet;
import dev.strata.model.data.Sentence;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.ner.TaskTraining;
import dev.strata.model.ner.TaskTraining.CachedData;
import dev.strata.model.serving.MiniLm;
import dev.strata.model.serving.Synthetic;
import dev.strata.model.train.FeatureBatch;
import dev.strata.model.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches across the feedback and replay caches: padded rows, or the word starts of both. */
class MixedTaggingSourceTest {

  @Test
  void wordStartBatchHoldsTheLabelledPositionsOfThePaddedBatchInOrder() {
    List<Sentence> feedback = new ArrayList<>();
    Synthetic.gadgetFeedback("g", 6, 2).forEach(e -> feedback.add(e.sentence()));
    List<Sentence> replay = Synthetic.peopleAndPlaces(5, 3);
    List<Sentence> all = new ArrayList<>(feedback);
    all.addAll(replay);
    LabelSet labels = LabelSet.fromSentences(all);
    TaskTraining.Options o =
        new TaskTraining.Options(
            HeadConfig.of(HeadType.LAST),
            TrainingConfig.builder().build(),
            MiniLm.cacheDir(),
            null);
    CachedData f = CachedData.of(MiniLm.backbone(), "feedback", feedback, o);
    CachedData r = CachedData.of(MiniLm.backbone(), "replay", replay, o);
    int[] idx = {7, 0, 10, 3}; // replay 1, feedback 0, replay 4, feedback 3
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      FeatureBatch padded = new MixedTaggingSource(List.of(f, r), labels, false).batch(m, idx);
      FeatureBatch starts = new MixedTaggingSource(List.of(f, r), labels, true).batch(m, idx);
      long[] paddedLabels = padded.tokenLabels().toLongArray();
      float[] paddedStates = padded.states().toFloatArray();
      Shape s = padded.states().getShape();
      int width = (int) (s.get(2) * s.get(3));
      List<Long> wantLabels = new ArrayList<>();
      List<Integer> wantPositions = new ArrayList<>();
      for (int p = 0; p < paddedLabels.length; p++) {
        if (paddedLabels[p] >= 0) {
          wantLabels.add(paddedLabels[p]);
          wantPositions.add(p);
        }
      }
      int kept = wantLabels.size();
      assertThat(starts.states().getShape()).isEqualTo(new Shape(1, kept, s.get(2), s.get(3)));
      assertThat(starts.mask().toFloatArray()).hasSize(kept).containsOnly(1f);
      assertThat(starts.tokenLabels().toLongArray())
          .containsExactly(wantLabels.stream().mapToLong(Long::longValue).toArray());
      float[] packed = starts.states().toFloatArray();
      for (int k = 0; k < kept; k++) {
        int from = wantPositions.get(k) * width;
        for (int j = 0; j < width; j++) {
          assertThat(packed[k * width + j]).isEqualTo(paddedStates[from + j]);
        }
      }
      int words = 0;
      for (int i : idx) {
        words += all.get(i).size();
      }
      assertThat(kept).isEqualTo(words);
    } finally {
      f.cache().close();
      r.cache().close();
    }
  }
}
