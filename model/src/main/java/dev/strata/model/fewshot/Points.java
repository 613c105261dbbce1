package dev.strata.model.fewshot;

import java.util.Locale;

/** How the report prints numbers: F1 in points with two decimals, and k with {@code full}. */
final class Points {
  static final String NONE = "—";

  private Points() {}

  /** A fraction in [0, 1] as points with two decimals: 0.7421 → {@code 74.21}. */
  static String of(double fraction) {
    return fixed(fraction * 100);
  }

  /** A value already in points, two decimals. */
  static String fixed(double points) {
    double rounded = round2(points);
    return String.format(Locale.ROOT, "%.2f", rounded == 0 ? 0.0 : rounded);
  }

  /** A difference in points with its sign: {@code +3.68}, {@code -1.20}, {@code 0.00}. */
  static String signed(double points) {
    double rounded = round2(points);
    return rounded > 0 ? "+" + fixed(rounded) : fixed(rounded);
  }

  /** Points rounded to the two decimals the report prints (so printed numbers decide checks). */
  static double round2(double points) {
    return Math.round(points * 100) / 100.0;
  }

  /** {@code a − b} of two fractions in points, between their printed (two-decimal) values. */
  static double difference(double a, double b) {
    return round2(round2(a * 100) - round2(b * 100));
  }

  /** k as the report prints it: the number, or {@code full} for the full training set. */
  static String k(int k) {
    return k == FewShotRun.FULL ? "full" : Integer.toString(k);
  }

  /** A parameter count with thousands separators. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
