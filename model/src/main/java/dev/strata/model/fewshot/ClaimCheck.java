package dev.strata.model.fewshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Checks a {@link ResultsTable} against what the DWAtt paper reports on CoNLL-03: the best fusion
 * head ({@code concat} or {@code dwatt}) beats {@code deeper} by {@value #PAPER_MIN_GAIN} to
 * {@value #PAPER_MAX_GAIN} F1 points at few-shot sizes, and {@code dwatt} ≥ {@code concat} at k ≥
 * {@value #DWATT_FROM_K}.
 *
 * <p>Comparisons use mean test F1 in points rounded to the two decimals the report prints, so a
 * printed {@code +3.68} passes. The full training set is checked too but is outside the few-shot
 * claim and not counted in the summary.
 */
public final class ClaimCheck {
  /** Smallest gain of fusion over {@code deeper} the paper reports, in F1 points. */
  public static final double PAPER_MIN_GAIN = 3.68;

  /** Largest gain of fusion over {@code deeper} the paper reports, in F1 points. */
  public static final double PAPER_MAX_GAIN = 9.73;

  /** From this k on (and for the full set) the paper has {@code dwatt} ≥ {@code concat}. */
  public static final int DWATT_FROM_K = 1000;

  /** Seeds per cell the protocol asks for. */
  public static final int MIN_SEEDS = 5;

  private ClaimCheck() {}

  /** The claim check as a markdown paragraph, one bullet per k, and a summary. */
  public static String markdown(ResultsTable table) {
    Objects.requireNonNull(table, "table");
    StringBuilder sb = new StringBuilder();
    sb.append("Paper (CoNLL-03): the best fusion head beats `deeper` by +")
        .append(Points.fixed(PAPER_MIN_GAIN))
        .append(" to +")
        .append(Points.fixed(PAPER_MAX_GAIN))
        .append(" F1 points at few-shot sizes, and dwatt ≥ concat at k ≥ ")
        .append(DWATT_FROM_K)
        .append(". Checked on mean test F1 in points, rounded to the 2 decimals shown.\n\n");
    int gainChecked = 0;
    List<String> gainFails = new ArrayList<>();
    int dwattChecked = 0;
    List<String> dwattFails = new ArrayList<>();
    for (int k : table.ks()) {
      boolean fewShot = k != FewShotRun.FULL;
      sb.append("- k=").append(Points.k(k));
      if (!fewShot) {
        sb.append(" (full training set, outside the few-shot claim)");
      }
      sb.append(": ");
      Optional<FusionGain> gain = table.bestFusionGain(k);
      if (gain.isPresent()) {
        FusionGain g = gain.get();
        boolean holds = Points.round2(g.points()) >= PAPER_MIN_GAIN;
        sb.append("best fusion − deeper = ")
            .append(g.bestHead())
            .append(' ')
            .append(Points.of(g.best().mean()))
            .append(" − deeper ")
            .append(Points.of(g.deeper().mean()))
            .append(" = ")
            .append(Points.signed(g.points()))
            .append(" ≥ ")
            .append(Points.fixed(PAPER_MIN_GAIN))
            .append(": ")
            .append(verdict(holds));
        if (Points.round2(g.points()) > PAPER_MAX_GAIN) {
          sb.append(" (above the paper's +").append(Points.fixed(PAPER_MAX_GAIN)).append(')');
        }
        if (fewShot) {
          gainChecked++;
          if (!holds) {
            gainFails.add("k=" + Points.k(k));
          }
        }
      } else {
        sb.append(
            "best fusion − deeper: not checked (needs runs of deeper and of concat or dwatt)");
      }
      if (!fewShot || k >= DWATT_FROM_K) {
        OptionalDouble d = table.dwattMinusConcat(k);
        if (d.isPresent()) {
          boolean holds = Points.round2(d.getAsDouble()) >= 0;
          sb.append("; dwatt − concat = ")
              .append(Points.of(table.testF1(ResultsTable.DWATT, k).orElseThrow().mean()))
              .append(" − ")
              .append(Points.of(table.testF1(ResultsTable.CONCAT, k).orElseThrow().mean()))
              .append(" = ")
              .append(Points.signed(d.getAsDouble()))
              .append(" ≥ 0: ")
              .append(verdict(holds));
          dwattChecked++;
          if (!holds) {
            dwattFails.add("k=" + Points.k(k));
          }
        } else {
          sb.append("; dwatt ≥ concat: not checked (needs runs of both)");
        }
      }
      sb.append('\n');
    }
    sb.append('\n')
        .append(summary("Gain ≥ " + Points.fixed(PAPER_MIN_GAIN), gainChecked, gainFails))
        .append(" few-shot sizes checked")
        .append(failures(gainFails))
        .append(". ")
        .append(summary("dwatt ≥ concat", dwattChecked, dwattFails))
        .append(" sizes with k ≥ ")
        .append(DWATT_FROM_K)
        .append(" checked")
        .append(failures(dwattFails))
        .append(".\n");
    List<String> thin = thinCells(table);
    if (!thin.isEmpty()) {
      sb.append("\nFewer than ")
          .append(MIN_SEEDS)
          .append(" seeds (the protocol asks for ")
          .append(MIN_SEEDS)
          .append("): ")
          .append(String.join(", ", thin))
          .append(".\n");
    }
    return sb.toString();
  }

  private static String verdict(boolean holds) {
    return holds ? "**yes**" : "**no**";
  }

  private static String summary(String what, int checked, List<String> fails) {
    return what + " at " + (checked - fails.size()) + " of " + checked;
  }

  private static String failures(List<String> fails) {
    return fails.isEmpty() ? "" : " (not at " + String.join(", ", fails) + ")";
  }

  private static List<String> thinCells(ResultsTable table) {
    List<String> thin = new ArrayList<>();
    for (int k : table.ks()) {
      for (String head : table.heads()) {
        table
            .testF1(head, k)
            .filter(m -> m.n() < MIN_SEEDS)
            .ifPresent(m -> thin.add(head + " k=" + Points.k(k) + " (n=" + m.n() + ")"));
      }
    }
    return thin;
  }
}
