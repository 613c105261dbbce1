package dev.strata.model.head;

import java.util.Objects;

/**
 * How many transformer layers the {@code deeper} head gets so its size matches DWAtt's.
 *
 * @param layers the chosen n (at least 1): the n whose count is closest to DWAtt's
 * @param deeperParameters parameters of n layers
 * @param dwattParameters parameters of the DWAtt head with the same config
 * @param relativeDifference (deeper − dwatt) / dwatt
 * @param withinTolerance whether |relativeDifference| ≤ {@link #TOLERANCE}; when false no n
 *     matches, and benchmark output should say so
 */
public record DeeperSizing(
    int layers,
    long deeperParameters,
    long dwattParameters,
    double relativeDifference,
    boolean withinTolerance) {

  /** The allowed size gap between the deeper head and DWAtt: ±15%. */
  public static final double TOLERANCE = 0.15;

  /**
   * Picks n for {@code backbone}, comparing against DWAtt built with {@code config}'s fusion
   * settings (range, bottleneck, position width).
   */
  public static DeeperSizing choose(BackboneShape backbone, HeadConfig config) {
    Objects.requireNonNull(backbone, "backbone");
    Objects.requireNonNull(config, "config");
    long target = ParameterCounts.dwatt(config.withType(HeadType.DWATT), backbone);
    long perLayer = ParameterCounts.transformerLayer(backbone);
    int best = 1;
    double bestGap = Double.MAX_VALUE;
    for (int n = 1; (long) (n - 1) * perLayer <= target; n++) {
      double gap = Math.abs((double) (n * perLayer - target) / target);
      if (gap < bestGap) {
        bestGap = gap;
        best = n;
      }
    }
    long params = best * perLayer;
    double diff = (double) (params - target) / target;
    return new DeeperSizing(best, params, target, diff, Math.abs(diff) <= TOLERANCE);
  }

  /** One line for logs and benchmark output. */
  public String describe() {
    return String.format(
        java.util.Locale.ROOT,
        "deeper n=%d: %d parameters vs DWAtt %d (%+.1f%%, %s ±%.0f%%)",
        layers,
        deeperParameters,
        dwattParameters,
        100 * relativeDifference,
        withinTolerance ? "within" : "OUTSIDE",
        100 * TOLERANCE);
  }
}
