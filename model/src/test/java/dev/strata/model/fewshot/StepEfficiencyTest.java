package dev.strata.model.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepEfficiencyTest {

  private static FewShotRun run(
      String head, int k, long seed, double devF1, int bestStep, List<HistoryPoint> history) {
    return new FewShotRun(
        "b", "d", head, k, seed, 1_000, 200, bestStep, devF1, 0.5, Map.of(), 1.0, history,
        Map.of());
  }

  private static List<HistoryPoint> curve(int... stepsAndPercents) {
    List<HistoryPoint> points = new java.util.ArrayList<>();
    for (int i = 0; i < stepsAndPercents.length; i += 2) {
      points.add(new HistoryPoint(stepsAndPercents[i], stepsAndPercents[i + 1] / 100.0));
    }
    return points;
  }

  private static ResultsTable table() {
    return ResultsTable.of(
        List.of(
            // the history is stored out of order on purpose: the first evaluation is the
            // smallest step, not the first element
            run("concat", 100, 1, 0.70, 50, curve(50, 70, 25, 60)),
            run("concat", 100, 2, 0.74, 75, curve(25, 64, 50, 72, 75, 74)),
            run("deeper", 100, 1, 0.71, 75, curve(25, 40, 50, 60, 75, 71)),
            run("deeper", 100, 2, 0.69, 50, List.of()),
            run("concat", 1000, 1, 0.85, 320, curve(40, 79, 320, 85)),
            run("deeper", 1000, 1, 0.86, 280, curve(30, 71, 280, 86)),
            run("deeper", 50, 1, 0.50, 200, List.of())));
  }

  @Test
  void cellsAreMeansOverTheRunsWithAHistory() {
    StepEfficiency.Cell concat = StepEfficiency.cell(table(), "concat", 100).orElseThrow();
    // first evaluations 0.60 (step 25 of seed 1) and 0.64; best 0.70 and 0.74 at 50 and 75
    assertThat(concat.n()).isEqualTo(2);
    assertThat(concat.firstF1()).isCloseTo(0.62, within(1e-12));
    assertThat(concat.bestF1()).isCloseTo(0.72, within(1e-12));
    assertThat(concat.bestStep()).isCloseTo(62.5, within(1e-12));

    // seed 2 of deeper has no history and is not counted
    StepEfficiency.Cell deeper = StepEfficiency.cell(table(), "deeper", 100).orElseThrow();
    assertThat(deeper.n()).isEqualTo(1);
    assertThat(deeper.firstF1()).isCloseTo(0.40, within(1e-12));
    assertThat(deeper.bestF1()).isCloseTo(0.71, within(1e-12));

    assertThat(StepEfficiency.cell(table(), "deeper", 50)).isEmpty();
    assertThat(StepEfficiency.cell(table(), "dwatt", 100)).isEmpty();
  }

  @Test
  void tableMatchesTheHandWrittenTable() {
    String expected =
        """
        | k | first evaluation at step | deeper | concat |
        |---:|---:|---:|---:|
        | 100 | 25 | 40.00 → 71.00 at 75 (1) | 62.00 → 72.00 at 63 (2) |
        | 1000 | 30–40 | 71.00 → 86.00 at 280 (1) | 79.00 → 85.00 at 320 (1) |
        """;

    assertThat(StepEfficiency.markdown(table())).isEqualTo(expected);
  }

  @Test
  void noHistoryAtAllSaysSo() {
    ResultsTable table = ResultsTable.of(List.of(run("deeper", 50, 1, 0.5, 200, List.of())));

    assertThat(StepEfficiency.markdown(table)).contains("no step-efficiency table");
  }
}
