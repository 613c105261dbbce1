package dev.strata.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FewShotSamplerTest {

  /** 30 sentences, of which 20 are distinct: s0..s19, then s0..s9 again. */
  private static List<Sentence> corpus() {
    List<Sentence> out = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      out.add(new Sentence(List.of("w" + (i % 20)), List.of(i % 20 % 3 == 0 ? "B-PER" : "O")));
    }
    return out;
  }

  @Test
  void sameKAndSeedGiveTheSameSampleAndAnotherSeedAnother() {
    List<Sentence> c = corpus();
    int[] a = FewShotSampler.sampleIndices(c, 8, 42);
    assertThat(FewShotSampler.sampleIndices(List.copyOf(c), 8, 42)).containsExactly(a);
    assertThat(FewShotSampler.sampleIndices(c, 8, 43)).isNotEqualTo(a);
    assertThat(a).isSorted().hasSize(8);
  }

  @Test
  void samplesAreUniqueAndNestedAcrossK() {
    List<Sentence> c = corpus();
    // the 20 distinct sentences are the first occurrences, indices 0..19
    assertThat(FewShotSampler.uniqueIndices(c))
        .containsExactly(java.util.stream.IntStream.range(0, 20).toArray());
    List<Sentence> all20 = FewShotSampler.sample(c, 20, 7);
    assertThat(new HashSet<>(all20)).hasSize(20);
    List<Sentence> five = FewShotSampler.sample(c, 5, 7);
    List<Sentence> ten = FewShotSampler.sample(c, 10, 7);
    assertThat(ten).containsAll(five);
  }

  @Test
  void fullIsEveryThingIncludingDuplicates() {
    List<Sentence> c = corpus();
    assertThat(FewShotSampler.sample(c, FewShotSampler.FULL, 1)).isEqualTo(c);
    assertThat(FewShotSampler.parseK("full")).isEqualTo(FewShotSampler.FULL);
    assertThat(FewShotSampler.parseK(" 50 ")).isEqualTo(50);
    assertThatThrownBy(() -> FewShotSampler.parseK("0")).hasMessageContaining("'0'");
    assertThatThrownBy(() -> FewShotSampler.parseK("all")).hasMessageContaining("'full'");
  }

  @Test
  void kAboveTheUniqueCountIsAnError() {
    assertThatThrownBy(() -> FewShotSampler.sample(corpus(), 21, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k=21")
        .hasMessageContaining("only 20 unique sentences (30 with duplicates)");
    assertThatThrownBy(() -> FewShotSampler.sample(corpus(), 0, 1)).hasMessageContaining("got 0");
  }

  @Test
  void conll03TrainHasAbout1350Duplicates() throws IOException {
    Path dir = SharedData.require("conll2003");
    List<Sentence> train = ConllReader.create().read(dir.resolve("train.txt"));
    int unique = FewShotSampler.uniqueIndices(train).length;
    System.out.println("CoNLL-03 train: " + (train.size() - unique) + " duplicate sentences");
    assertThat(train.size() - unique).isBetween(1_200, 1_500);
    assertThat(FewShotSampler.sample(train, 50, 1)).hasSize(50).doesNotHaveDuplicates();
  }
}
