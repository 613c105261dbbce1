package dev.strata.model.fewshot;

import static dev.strata.model.fewshot.TestRuns.seeds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTableTest {

  @Test
  void meanAndSampleStdOfHandComputedNumbers() {
    MeanStd a = MeanStd.of(1, 2, 3, 4);
    // mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; 5 / (4 - 1) = 5/3
    assertThat(a.n()).isEqualTo(4);
    assertThat(a.mean()).isEqualTo(2.5);
    assertThat(a.std()).isCloseTo(Math.sqrt(5.0 / 3), within(1e-12));

    MeanStd b = MeanStd.of(0.70, 0.72, 0.74);
    // mean 0.72; deviations 0.02, 0, 0.02; (0.0004 + 0.0004) / 2 = 0.0004
    assertThat(b.mean()).isCloseTo(0.72, within(1e-12));
    assertThat(b.std()).isCloseTo(0.02, within(1e-12));
    assertThat(b.formatPoints()).isEqualTo("72.00 ± 2.00 (3)");
  }

  @Test
  void oneValueHasNoStd() {
    MeanStd one = MeanStd.of(0.7421);

    assertThat(one.hasStd()).isFalse();
    assertThat(one.std()).isNaN();
    assertThat(one.formatPoints()).isEqualTo("74.21 ± — (1)");
  }

  @Test
  void noValuesIsAnError() {
    assertThatThrownBy(MeanStd::of).isInstanceOf(IllegalArgumentException.class);
  }

  static ResultsTable smallSweep() {
    List<FewShotRun> runs = new ArrayList<>();
    runs.addAll(seeds("dwatt", 50, 7_500_000, 0.71));
    runs.addAll(seeds("concat", FewShotRun.FULL, 7_680_009, 0.91, 0.93));
    runs.addAll(seeds("last", 50, 6_921, 0.60, 0.62));
    runs.addAll(seeds("deeper", 50, 7_087_881, 0.65, 0.67, 0.69));
    runs.addAll(seeds("concat", 50, 7_680_009, 0.70, 0.72, 0.74));
    runs.addAll(seeds("deeper", FewShotRun.FULL, 7_087_881, 0.90, 0.92));
    return ResultsTable.of(runs);
  }

  @Test
  void f1TableMatchesTheHandWrittenTable() {
    String expected =
        """
        | k | last | deeper | concat | dwatt | best fusion − deeper | dwatt − concat |
        |---:|---:|---:|---:|---:|---:|---:|
        | 50 | 61.00 ± 1.41 (2) | 67.00 ± 2.00 (3) | 72.00 ± 2.00 (3) | 71.00 ± — (1) \
        | +5.00 (concat) | -1.00 |
        | full | — | 91.00 ± 1.41 (2) | 92.00 ± 1.41 (2) | — | +1.00 (concat) | — |
        """;

    assertThat(smallSweep().f1Markdown()).isEqualTo(expected);
  }

  @Test
  void paramsTableMatchesTheHandWrittenTable() {
    String expected =
        """
        | head | trainable params | ÷ dwatt |
        |---|---:|---:|
        | last | 6,921 | < 0.01 |
        | deeper | 7,087,881 | 0.95 |
        | concat | 7,680,009 | 1.02 |
        | dwatt | 7,500,000 | 1.00 |
        """;

    assertThat(smallSweep().paramsMarkdown()).isEqualTo(expected);
  }

  @Test
  void bestFusionIsTheBetterOfConcatAndDwattByMean() {
    ResultsTable table = smallSweep();

    FusionGain gain = table.bestFusionGain(50).orElseThrow();

    assertThat(gain.bestHead()).isEqualTo("concat");
    assertThat(gain.points()).isCloseTo(5.0, within(1e-9));
    assertThat(table.dwattMinusConcat(50).getAsDouble()).isCloseTo(-1.0, within(1e-9));
    assertThat(table.dwattMinusConcat(FewShotRun.FULL)).isEmpty();
    assertThat(table.ks()).containsExactly(50, FewShotRun.FULL);
    assertThat(table.heads()).containsExactly("last", "deeper", "concat", "dwatt");
  }

  @Test
  void pairedGainsTakeDifferencesSeedBySeedOverSeedsWhereBothRan() {
    List<FewShotRun> runs = new ArrayList<>();
    runs.addAll(TestRuns.seeds("deeper", 50, 1, 0.60, 0.50, 0.70));
    runs.addAll(TestRuns.seeds("dwatt", 50, 1, 0.66, 0.49)); // seed 3 not run yet
    runs.addAll(TestRuns.seeds("concat", 50, 1, 0.62, 0.56, 0.71));
    ResultsTable table = ResultsTable.of(runs);

    // dwatt − deeper: +0.06 and −0.01 (seeds 1, 2): mean +0.025, sample std 0.0495
    ResultsTable.PairedGain g = table.pairedGain("dwatt", "deeper", 50).orElseThrow();
    assertThat(g.differences().n()).isEqualTo(2);
    assertThat(g.differences().mean()).isCloseTo(0.025, within(1e-9));
    assertThat(g.differences().std()).isCloseTo(Math.sqrt(2 * 0.035 * 0.035), within(1e-9));
    assertThat(g.wins()).isEqualTo(1);
    // the unpaired means would give 57.5 − 60.0 = −2.5 points: pairing changes the answer
    assertThat(
            table.testF1("dwatt", 50).orElseThrow().mean()
                - table.testF1("deeper", 50).orElseThrow().mean())
        .isCloseTo(-0.025, within(1e-9));
    assertThat(table.pairedGain("dwatt", "deeper", 100)).isEmpty();
    assertThat(table.pairedMarkdown())
        .isEqualTo(
            "| k | concat − deeper | dwatt − deeper | dwatt − concat |\n"
                + "|---:|---:|---:|---:|\n"
                + "| 50 | +3.00 ± 2.65 (3), 3/3 ahead | +2.50 ± 4.95 (2), 1/2 ahead"
                + " | -1.50 ± 7.78 (2), 1/2 ahead |\n");
  }

  @Test
  void aVariantHeadGetsPairedColumnsAgainstDeeperAndConcat() {
    List<FewShotRun> runs = new ArrayList<>();
    runs.addAll(TestRuns.seeds("deeper", 50, 1, 0.60, 0.50));
    runs.addAll(TestRuns.seeds("concat", 50, 1, 0.62, 0.56));
    runs.addAll(TestRuns.seeds("dwatt-scaled", 50, 1, 0.65, 0.55));
    runs.addAll(TestRuns.seeds("last", 50, 1, 0.30, 0.20));

    // dwatt-scaled − deeper: +0.05, +0.05; − concat: +0.03, −0.01; last gets no column
    assertThat(ResultsTable.of(runs).pairedMarkdown())
        .isEqualTo(
            "| k | concat − deeper | dwatt − deeper | dwatt − concat"
                + " | dwatt-scaled − deeper | dwatt-scaled − concat |\n"
                + "|---:|---:|---:|---:|---:|---:|\n"
                + "| 50 | +4.00 ± 2.83 (2), 2/2 ahead | — | —"
                + " | +5.00 ± 0.00 (2), 2/2 ahead | +1.00 ± 2.83 (2), 1/2 ahead |\n");
  }

  @Test
  void mixedGroupsAndDuplicateRunsAreRefused() {
    FewShotRun a = TestRuns.run("dwatt", 50, 1, 0.5, 1);
    FewShotRun other =
        new FewShotRun("other", "d", "dwatt", 50, 1, 1, 1, 1, 0.5, 0.5, null, 1, null, null);

    assertThatThrownBy(() -> ResultsTable.of(List.of(a, other)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one table per backbone and data set");
    assertThatThrownBy(() -> ResultsTable.of(List.of(a, a)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("appears twice");
  }
}
