package dev.strata.model.bench;

import java.util.Arrays;

/** Median and spread of repeated measurements. */
public record Stats(double median, double min, double max, int n) {

  /** Summarises samples (at least one). */
  public static Stats of(double[] samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    double[] s = samples.clone();
    Arrays.sort(s);
    int n = s.length;
    double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    return new Stats(median, s[0], s[n - 1], n);
  }

  /** {@code median [min–max]} with the given format for each number. */
  public String format(String numberFormat) {
    return String.format(numberFormat, median)
        + " ["
        + String.format(numberFormat, min)
        + "–"
        + String.format(numberFormat, max)
        + "]";
  }
}
