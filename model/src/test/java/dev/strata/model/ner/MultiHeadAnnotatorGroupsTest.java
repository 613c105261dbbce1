package dev.strata.model.ner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.model.ner.MultiHeadAnnotator.Batching;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How windows are grouped into encoder passes. */
class MultiHeadAnnotatorGroupsTest {

  @Test
  void inputOrderCutsEveryDefaultBatch() {
    int[] lengths = new int[70];
    Arrays.fill(lengths, 10);
    List<int[]> groups = MultiHeadAnnotator.groups(lengths, Batching.INPUT_ORDER);
    assertThat(groups).extracting(g -> g.length).containsExactly(32, 32, 6);
    assertThat(groups.get(1)[0]).isEqualTo(32);
  }

  @Test
  void lengthGroupsCoverEveryWindowOnceAndCutPadding() {
    Random r = new Random(7);
    int[] lengths = new int[32];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = 5 + r.nextInt(60);
    }
    List<int[]> groups = MultiHeadAnnotator.groups(lengths, Batching.LENGTH_GROUPS);
    List<Integer> seen = new ArrayList<>();
    long padded = 0;
    for (int[] g : groups) {
      assertThat(g.length).isBetween(1, MultiHeadAnnotator.DEFAULT_BATCH);
      int max = 0;
      for (int i : g) {
        seen.add(i);
        max = Math.max(max, lengths[i]);
      }
      padded += (long) max * g.length;
    }
    assertThat(seen).doesNotHaveDuplicates().hasSize(lengths.length);
    long real = Arrays.stream(lengths).sum();
    long paddedInOrder = (long) Arrays.stream(lengths).max().orElseThrow() * lengths.length;
    assertThat(padded).isLessThan(paddedInOrder);
    assertThat((double) padded / real).isLessThan(1.35);
    // Every pass but the last has at least MIN_GROUP windows.
    for (int k = 0; k < groups.size() - 1; k++) {
      assertThat(groups.get(k).length).isGreaterThanOrEqualTo(MultiHeadAnnotator.MIN_GROUP);
    }
  }

  @Test
  void equalLengthsStayInOnePass() {
    int[] lengths = new int[20];
    Arrays.fill(lengths, 12);
    assertThat(MultiHeadAnnotator.groups(lengths, Batching.LENGTH_GROUPS))
        .extracting(g -> g.length)
        .containsExactly(20);
  }
}
