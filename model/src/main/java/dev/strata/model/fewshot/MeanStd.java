package dev.strata.model.fewshot;

import java.util.Objects;

/**
 * Mean and sample standard deviation (divisor n − 1) of a score over seeds.
 *
 * @param n number of values
 * @param mean arithmetic mean
 * @param std sample standard deviation; {@code NaN} when {@code n < 2}
 */
public record MeanStd(int n, double mean, double std) {

  public MeanStd {
    if (n < 1) {
      throw new IllegalArgumentException("n = " + n + ": a summary needs at least one value");
    }
  }

  /** Summarises at least one value. */
  public static MeanStd of(double... values) {
    Objects.requireNonNull(values, "values");
    if (values.length == 0) {
      throw new IllegalArgumentException("no values to summarise: the cell has no runs");
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    double mean = sum / values.length;
    if (values.length < 2) {
      return new MeanStd(1, mean, Double.NaN);
    }
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return new MeanStd(values.length, mean, Math.sqrt(squares / (values.length - 1)));
  }

  /** Whether the standard deviation is defined (two values or more). */
  public boolean hasStd() {
    return n >= 2;
  }

  /** Fractions printed as points: {@code 74.21 ± 1.03 (5)}, or {@code 74.21 ± — (1)}. */
  public String formatPoints() {
    return Points.of(mean) + " ± " + (hasStd() ? Points.of(std) : Points.NONE) + " (" + n + ")";
  }
}
