package dev.strata.model.fewshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How fast each head learns, as numbers beside the step charts: per k and head, the mean over seeds
 * of the dev F1 at each run's first evaluation, of its best dev F1, and of the step at which that
 * best was reached.
 *
 * <p>All heads at one k train for the same number of steps and are evaluated at the same steps, so
 * a head that is ahead at the first evaluation but level at the best learns faster, not better.
 * Runs without a dev history (written before histories were logged) are left out.
 */
final class StepEfficiency {
  private StepEfficiency() {}

  /**
   * One cell: means over the runs of one head at one k that have a dev history.
   *
   * @param n runs counted
   * @param firstF1 mean dev F1 at the first evaluation, a fraction
   * @param bestF1 mean best dev F1, a fraction
   * @param bestStep mean step of the best dev F1
   */
  record Cell(int n, double firstF1, double bestF1, double bestStep) {
    String format() {
      return Points.of(firstF1)
          + " → "
          + Points.of(bestF1)
          + " at "
          + Math.round(bestStep)
          + " ("
          + n
          + ")";
    }
  }

  /** The cell of this head at this k; empty when none of its runs has a dev history. */
  static Optional<Cell> cell(ResultsTable table, String head, int k) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(head, "head");
    return cell(withHistory(table, k), head);
  }

  /** The cell of this head among runs of one k that all have a dev history. */
  private static Optional<Cell> cell(List<FewShotRun> runsAtK, String head) {
    List<FewShotRun> runs = runsAtK.stream().filter(r -> r.head().equals(head)).toList();
    if (runs.isEmpty()) {
      return Optional.empty();
    }
    double first = 0;
    double best = 0;
    double bestStep = 0;
    for (FewShotRun r : runs) {
      first += firstEvaluation(r).f1();
      best += r.devF1();
      bestStep += r.bestStep();
    }
    int n = runs.size();
    return Optional.of(new Cell(n, first / n, best / n, bestStep / n));
  }

  /**
   * The table: a row per k with dev histories, the steps of the first evaluation (a range when runs
   * differ), then a cell per head, {@code first → best at step (n)}, {@code —} where a head has no
   * history at that k.
   */
  static String markdown(ResultsTable table) {
    Objects.requireNonNull(table, "table");
    StringBuilder sb = new StringBuilder("| k | first evaluation at step |");
    StringBuilder rule = new StringBuilder("|---:|---:|");
    for (String head : table.heads()) {
      sb.append(' ').append(head).append(" |");
      rule.append("---:|");
    }
    sb.append('\n').append(rule).append('\n');
    boolean anyRow = false;
    for (int k : table.ks()) {
      List<FewShotRun> runs = withHistory(table, k);
      if (runs.isEmpty()) {
        continue;
      }
      anyRow = true;
      IntSummaryStatistics firstSteps =
          runs.stream().mapToInt(r -> firstEvaluation(r).step()).summaryStatistics();
      sb.append("| ").append(Points.k(k)).append(" | ").append(firstSteps.getMin());
      if (firstSteps.getMax() != firstSteps.getMin()) {
        sb.append('–').append(firstSteps.getMax());
      }
      sb.append(" |");
      for (String head : table.heads()) {
        sb.append(' ').append(cell(runs, head).map(Cell::format).orElse(Points.NONE)).append(" |");
      }
      sb.append('\n');
    }
    return anyRow ? sb.toString() : "No run has a dev history yet: no step-efficiency table.\n";
  }

  private static List<FewShotRun> withHistory(ResultsTable table, int k) {
    List<FewShotRun> runs = new ArrayList<>();
    for (FewShotRun r : table.runs()) {
      if (r.k() == k && !r.history().isEmpty()) {
        runs.add(r);
      }
    }
    return runs;
  }

  private static HistoryPoint firstEvaluation(FewShotRun run) {
    return run.history().stream().min(Comparator.comparingInt(HistoryPoint::step)).orElseThrow();
  }
}
