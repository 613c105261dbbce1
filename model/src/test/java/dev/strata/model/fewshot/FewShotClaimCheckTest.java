package dev.strata.model.fewshot;

import static dev.strata.model.fewshot.TestRuns.seeds;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FewShotClaimCheckTest {
  private static final String PREAMBLE =
      "Paper (CoNLL-03): the best fusion head beats `deeper` by +3.68 to +9.73 F1 points at"
          + " few-shot sizes, and dwatt ≥ concat at k ≥ 1000. Checked on mean test F1 in points,"
          + " rounded to the 2 decimals shown.\n\n";

  @Test
  void aSweepThatReproducesThePaperPasses() {
    List<FewShotRun> runs = new ArrayList<>();
    runs.addAll(seeds("deeper", 100, 1, 0.60, 0.60, 0.60, 0.60, 0.60));
    runs.addAll(seeds("concat", 100, 1, 0.64, 0.64, 0.64, 0.64, 0.64));
    runs.addAll(seeds("dwatt", 100, 1, 0.66, 0.66, 0.66, 0.66, 0.66));
    runs.addAll(seeds("deeper", 1000, 1, 0.80, 0.80, 0.80, 0.80, 0.80));
    runs.addAll(seeds("concat", 1000, 1, 0.845, 0.845, 0.845, 0.845, 0.845));
    runs.addAll(seeds("dwatt", 1000, 1, 0.84, 0.85, 0.86, 0.85, 0.85));

    String text = ClaimCheck.markdown(ResultsTable.of(runs));

    assertThat(text)
        .isEqualTo(
            PREAMBLE
                + "- k=100: best fusion − deeper = dwatt 66.00 − deeper 60.00 = +6.00 ≥ 3.68:"
                + " **yes**\n"
                + "- k=1000: best fusion − deeper = dwatt 85.00 − deeper 80.00 = +5.00 ≥ 3.68:"
                + " **yes**; dwatt − concat = 85.00 − 84.50 = +0.50 ≥ 0: **yes**\n"
                + "\n"
                + "Gain ≥ 3.68 at 2 of 2 few-shot sizes checked. dwatt ≥ concat at 1 of 1 sizes"
                + " with k ≥ 1000 checked.\n");
  }

  @Test
  void aSweepThatMissesTheClaimFailsAndSaysWhere() {
    List<FewShotRun> runs = new ArrayList<>();
    runs.addAll(seeds("deeper", 50, 1, 0.70, 0.70, 0.70, 0.70, 0.70));
    runs.addAll(seeds("concat", 50, 1, 0.72, 0.72, 0.72, 0.72, 0.72));
    runs.addAll(seeds("dwatt", 50, 1, 0.73, 0.73, 0.73, 0.73, 0.73));
    // exactly the paper's smallest gain: passes on the printed two decimals
    runs.addAll(seeds("deeper", 200, 1, 0.60, 0.60, 0.60, 0.60, 0.60));
    runs.addAll(seeds("concat", 200, 1, 0.6368, 0.6368, 0.6368, 0.6368, 0.6368));
    runs.addAll(seeds("deeper", 500, 1, 0.50, 0.50, 0.50, 0.50, 0.50));
    runs.addAll(seeds("dwatt", 500, 1, 0.61, 0.61, 0.61, 0.61, 0.61));
    runs.addAll(seeds("deeper", FewShotRun.FULL, 1, 0.90, 0.90));
    runs.addAll(seeds("concat", FewShotRun.FULL, 1, 0.93, 0.93));
    runs.addAll(seeds("dwatt", FewShotRun.FULL, 1, 0.92, 0.92));

    String text = ClaimCheck.markdown(ResultsTable.of(runs));

    assertThat(text)
        .isEqualTo(
            PREAMBLE
                + "- k=50: best fusion − deeper = dwatt 73.00 − deeper 70.00 = +3.00 ≥ 3.68:"
                + " **no**\n"
                + "- k=200: best fusion − deeper = concat 63.68 − deeper 60.00 = +3.68 ≥ 3.68:"
                + " **yes**\n"
                + "- k=500: best fusion − deeper = dwatt 61.00 − deeper 50.00 = +11.00 ≥ 3.68:"
                + " **yes** (above the paper's +9.73)\n"
                + "- k=full (full training set, outside the few-shot claim): best fusion − deeper"
                + " = concat 93.00 − deeper 90.00 = +3.00 ≥ 3.68: **no**; dwatt − concat = 92.00"
                + " − 93.00 = -1.00 ≥ 0: **no**\n"
                + "\n"
                + "Gain ≥ 3.68 at 2 of 3 few-shot sizes checked (not at k=50). dwatt ≥ concat at"
                + " 0 of 1 sizes with k ≥ 1000 checked (not at k=full).\n"
                + "\n"
                + "Fewer than 5 seeds (the protocol asks for 5): deeper k=full (n=2), concat"
                + " k=full (n=2), dwatt k=full (n=2).\n");
  }

  @Test
  void cellsWithoutTheNeededHeadsAreNotChecked() {
    List<FewShotRun> runs = new ArrayList<>(seeds("dwatt", 1000, 1, 0.8, 0.8, 0.8, 0.8, 0.8));

    String text = ClaimCheck.markdown(ResultsTable.of(runs));

    assertThat(text)
        .contains(
            "- k=1000: best fusion − deeper: not checked (needs runs of deeper and of concat or"
                + " dwatt); dwatt ≥ concat: not checked (needs runs of both)\n")
        .contains("Gain ≥ 3.68 at 0 of 0 few-shot sizes checked.");
  }
}
