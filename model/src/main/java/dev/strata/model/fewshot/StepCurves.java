package dev.strata.model.fewshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The mean dev curve over seeds whose histories were evaluated at different steps.
 *
 * <p>Each seed's curve is interpolated linearly between its own evaluations; the mean is taken at
 * every step at which some seed was evaluated, but only where every seed has a value (from the
 * latest first evaluation to the earliest last one), so the mean never mixes different sets of
 * seeds. Seeds with the same evaluation steps give the plain mean at those steps.
 */
final class StepCurves {
  private StepCurves() {}

  /** The mean curve; empty when a history is empty or the seeds' step ranges do not overlap. */
  static List<HistoryPoint> mean(List<List<HistoryPoint>> histories) {
    Objects.requireNonNull(histories, "histories");
    if (histories.isEmpty() || histories.stream().anyMatch(List::isEmpty)) {
      return List.of();
    }
    List<List<HistoryPoint>> sorted =
        histories.stream()
            .map(h -> h.stream().sorted(Comparator.comparingInt(HistoryPoint::step)).toList())
            .toList();
    int from = sorted.stream().mapToInt(h -> h.get(0).step()).max().orElseThrow();
    int to = sorted.stream().mapToInt(h -> h.get(h.size() - 1).step()).min().orElseThrow();
    TreeSet<Integer> steps = new TreeSet<>();
    sorted.forEach(h -> h.forEach(p -> steps.add(p.step())));
    List<HistoryPoint> mean = new ArrayList<>();
    for (int step : steps.subSet(from, true, to, true)) {
      double sum = 0;
      for (List<HistoryPoint> h : sorted) {
        sum += at(h, step);
      }
      mean.add(new HistoryPoint(step, sum / sorted.size()));
    }
    return mean;
  }

  /** Linear interpolation of a sorted curve at a step inside its range. */
  static double at(List<HistoryPoint> curve, int step) {
    for (int i = 0; i < curve.size(); i++) {
      HistoryPoint p = curve.get(i);
      if (p.step() == step) {
        return p.f1();
      }
      if (p.step() > step) {
        if (i == 0) {
          throw new IllegalArgumentException("step " + step + " is before the curve's first step");
        }
        HistoryPoint q = curve.get(i - 1);
        double t = (double) (step - q.step()) / (p.step() - q.step());
        return q.f1() + t * (p.f1() - q.f1());
      }
    }
    throw new IllegalArgumentException("step " + step + " is after the curve's last step");
  }
}
