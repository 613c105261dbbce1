package dev.strata.model.fewshot;

import dev.strata.model.head.HeadType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Test F1 over seeds per head and k for one backbone and data set, as markdown.
 *
 * <p>Rows are k (ascending, {@code full} last), columns the heads in the order {@code last, deeper,
 * concat, dwatt, scalarmix} then any other head by name. A cell is {@code mean ± std (n)} of test
 * F1 in points (sample std, {@code —} when n < 2; {@code —} alone when the cell has no runs). Two
 * columns compare means: the better of {@code concat} and {@code dwatt} minus {@code deeper}, and
 * {@code dwatt} minus {@code concat}, taken between the printed means so that they add up. A second
 * table ({@link #pairedMarkdown()}) takes the same differences seed by seed.
 */
public final class ResultsTable {
  static final String DEEPER = HeadType.DEEPER.id();
  static final String CONCAT = HeadType.CONCAT.id();
  static final String DWATT = HeadType.DWATT.id();

  private final String backbone;
  private final String data;
  private final List<FewShotRun> runs;
  private final List<Integer> ks;
  private final List<String> heads;
  private final Map<String, Map<Integer, MeanStd>> cells = new TreeMap<>();

  private ResultsTable(List<FewShotRun> runs) {
    this.runs = List.copyOf(runs);
    this.backbone = runs.get(0).backbone();
    this.data = runs.get(0).data();
    this.ks = runs.stream().map(FewShotRun::k).distinct().sorted(ResultsTable::compareK).toList();
    this.heads =
        runs.stream().map(FewShotRun::head).distinct().sorted(ResultsTable::compareHeads).toList();
    Map<String, Map<Integer, List<Double>>> values = new TreeMap<>();
    for (FewShotRun r : runs) {
      values
          .computeIfAbsent(r.head(), h -> new TreeMap<>())
          .computeIfAbsent(r.k(), k -> new ArrayList<>())
          .add(r.testF1());
    }
    values.forEach(
        (head, byK) ->
            byK.forEach(
                (k, v) ->
                    cells
                        .computeIfAbsent(head, h -> new TreeMap<>())
                        .put(
                            k, MeanStd.of(v.stream().mapToDouble(Double::doubleValue).toArray()))));
  }

  /**
   * The table of these runs.
   *
   * @throws IllegalArgumentException when there are no runs, when they mix backbones or data sets
   *     (group them first), or when a run appears twice (keep one line per key)
   */
  public static ResultsTable of(List<FewShotRun> runs) {
    Objects.requireNonNull(runs, "runs");
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs: a results table needs at least one run");
    }
    Set<String> groups =
        runs.stream().map(r -> r.backbone() + "/" + r.data()).collect(Collectors.toSet());
    if (groups.size() > 1) {
      throw new IllegalArgumentException(
          "runs of " + new TreeSet<>(groups) + ": build one table per backbone and data set");
    }
    Set<RunKey> seen = new HashSet<>();
    for (FewShotRun r : runs) {
      if (!seen.add(r.key())) {
        throw new IllegalArgumentException(
            "run " + r.key() + " appears twice: keep one run per key before building the table");
      }
    }
    return new ResultsTable(runs);
  }

  /** Orders k ascending with the full set last. */
  static int compareK(int a, int b) {
    return Long.compare(
        a == FewShotRun.FULL ? Long.MAX_VALUE : a, b == FewShotRun.FULL ? Long.MAX_VALUE : b);
  }

  /** Orders the known heads as {@link HeadType} does, other heads after them by name. */
  static int compareHeads(String a, String b) {
    return Comparator.<String>comparingInt(ResultsTable::headRank)
        .thenComparing(Comparator.naturalOrder())
        .compare(a, b);
  }

  private static int headRank(String head) {
    for (HeadType t : HeadType.values()) {
      if (t.id().equals(head)) {
        return t.ordinal();
      }
    }
    return HeadType.values().length;
  }

  /** The backbone of every run. */
  public String backbone() {
    return backbone;
  }

  /** The data set of every run. */
  public String data() {
    return data;
  }

  /** The runs counted. */
  public List<FewShotRun> runs() {
    return runs;
  }

  /** The k values present, ascending, {@link FewShotRun#FULL} last. */
  public List<Integer> ks() {
    return ks;
  }

  /** The heads present, in column order. */
  public List<String> heads() {
    return heads;
  }

  /** Test F1 (fractions) of this head at this k over seeds, empty when there is no run. */
  public Optional<MeanStd> testF1(String head, int k) {
    Objects.requireNonNull(head, "head");
    return Optional.ofNullable(cells.getOrDefault(head, Map.of()).get(k));
  }

  /**
   * The better of {@code concat} and {@code dwatt} (by mean) against {@code deeper} at this k;
   * empty unless deeper and at least one of them have runs.
   */
  public Optional<FusionGain> bestFusionGain(int k) {
    Optional<MeanStd> deeper = testF1(DEEPER, k);
    Optional<MeanStd> concat = testF1(CONCAT, k);
    Optional<MeanStd> dwatt = testF1(DWATT, k);
    if (deeper.isEmpty() || (concat.isEmpty() && dwatt.isEmpty())) {
      return Optional.empty();
    }
    boolean concatBetter =
        dwatt.isEmpty() || (concat.isPresent() && concat.get().mean() > dwatt.get().mean());
    String best = concatBetter ? CONCAT : DWATT;
    MeanStd bestF1 = concatBetter ? concat.get() : dwatt.get();
    return Optional.of(new FusionGain(k, best, bestF1, deeper.get()));
  }

  /**
   * Mean test F1 of {@code dwatt} minus that of {@code concat} in points (between the printed
   * means), when both have runs.
   */
  public OptionalDouble dwattMinusConcat(int k) {
    Optional<MeanStd> concat = testF1(CONCAT, k);
    Optional<MeanStd> dwatt = testF1(DWATT, k);
    return concat.isPresent() && dwatt.isPresent()
        ? OptionalDouble.of(Points.difference(dwatt.get().mean(), concat.get().mean()))
        : OptionalDouble.empty();
  }

  /**
   * Test F1 of {@code head} minus that of {@code baseline} seed by seed, over the seeds where both
   * ran at this k: every seed trains both heads on the same sample, so the differences pair up and
   * their spread is that of the gain itself, not of the sample. Empty when no seed has both.
   */
  public Optional<PairedGain> pairedGain(String head, String baseline, int k) {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(baseline, "baseline");
    Map<Long, Double> base = new TreeMap<>();
    Map<Long, Double> other = new TreeMap<>();
    for (FewShotRun r : runs) {
      if (r.k() == k && r.head().equals(baseline)) {
        base.put(r.seed(), r.testF1());
      } else if (r.k() == k && r.head().equals(head)) {
        other.put(r.seed(), r.testF1());
      }
    }
    List<Double> differences = new ArrayList<>();
    int wins = 0;
    for (Map.Entry<Long, Double> e : other.entrySet()) {
      Double b = base.get(e.getKey());
      if (b != null) {
        differences.add(e.getValue() - b);
        wins += e.getValue() > b ? 1 : 0;
      }
    }
    if (differences.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new PairedGain(
            MeanStd.of(differences.stream().mapToDouble(Double::doubleValue).toArray()), wins));
  }

  /**
   * Gains seed by seed ({@link #pairedGain}): concat and dwatt against deeper, dwatt against
   * concat, then every other head present apart from {@code last} (a variant such as {@code
   * dwatt-scaled}, or {@code scalarmix}) against deeper and against concat; a cell is {@code mean ±
   * std (n), w/n ahead}.
   */
  public String pairedMarkdown() {
    List<String> others =
        heads.stream()
            .filter(h -> !List.of(HeadType.LAST.id(), DEEPER, CONCAT, DWATT).contains(h))
            .toList();
    StringBuilder sb =
        new StringBuilder("| k | concat − deeper | dwatt − deeper | dwatt − concat |");
    StringBuilder rule = new StringBuilder("|---:|---:|---:|---:|");
    for (String other : others) {
      sb.append(' ').append(other).append(" − deeper | ").append(other).append(" − concat |");
      rule.append("---:|---:|");
    }
    sb.append('\n').append(rule).append('\n');
    for (int k : ks) {
      sb.append("| ").append(Points.k(k)).append(" | ");
      sb.append(paired(CONCAT, DEEPER, k)).append(" | ");
      sb.append(paired(DWATT, DEEPER, k)).append(" | ");
      sb.append(paired(DWATT, CONCAT, k)).append(" |");
      for (String other : others) {
        sb.append(' ').append(paired(other, DEEPER, k)).append(" | ");
        sb.append(paired(other, CONCAT, k)).append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private String paired(String head, String baseline, int k) {
    return pairedGain(head, baseline, k)
        .map(
            g ->
                Points.signed(g.differences().mean() * 100)
                    + " ± "
                    + (g.differences().hasStd() ? Points.of(g.differences().std()) : Points.NONE)
                    + " ("
                    + g.differences().n()
                    + "), "
                    + g.wins()
                    + "/"
                    + g.differences().n()
                    + " ahead")
        .orElse(Points.NONE);
  }

  /**
   * Seed-by-seed differences of test F1 (fractions) and how many seeds the head was ahead.
   *
   * @param differences head minus baseline, per seed
   * @param wins seeds where the head scored strictly higher
   */
  public record PairedGain(MeanStd differences, int wins) {
    public PairedGain {
      Objects.requireNonNull(differences, "differences");
      if (wins < 0 || wins > differences.n()) {
        throw new IllegalArgumentException(
            "wins = " + wins + " is not between 0 and the " + differences.n() + " seeds compared");
      }
    }
  }

  /** The test F1 table. */
  public String f1Markdown() {
    StringBuilder sb = new StringBuilder("| k |");
    StringBuilder rule = new StringBuilder("|---:|");
    for (String head : heads) {
      sb.append(' ').append(head).append(" |");
      rule.append("---:|");
    }
    sb.append(" best fusion − deeper | dwatt − concat |\n");
    rule.append("---:|---:|\n");
    sb.append(rule);
    for (int k : ks) {
      sb.append("| ").append(Points.k(k)).append(" |");
      for (String head : heads) {
        sb.append(' ')
            .append(testF1(head, k).map(MeanStd::formatPoints).orElse(Points.NONE))
            .append(" |");
      }
      sb.append(' ')
          .append(
              bestFusionGain(k)
                  .map(g -> Points.signed(g.points()) + " (" + g.bestHead() + ")")
                  .orElse(Points.NONE))
          .append(" | ");
      OptionalDouble d = dwattMinusConcat(k);
      sb.append(d.isPresent() ? Points.signed(d.getAsDouble()) : Points.NONE).append(" |\n");
    }
    return sb.toString();
  }

  /**
   * Trainable parameters per head (a range when runs of a head differ), with the ratio to {@code
   * dwatt} that shows whether {@code deeper} is parameter-matched.
   */
  public String paramsMarkdown() {
    Map<String, LongSummaryStatistics> params = new TreeMap<>();
    runs.forEach(
        r ->
            params
                .computeIfAbsent(r.head(), h -> new LongSummaryStatistics())
                .accept(r.trainableParams()));
    LongSummaryStatistics dwatt = params.get(DWATT);
    boolean matched = dwatt != null && dwatt.getMin() == dwatt.getMax() && dwatt.getMax() > 0;
    StringBuilder sb =
        new StringBuilder("| head | trainable params | ÷ dwatt |\n|---|---:|---:|\n");
    for (String head : heads) {
      LongSummaryStatistics p = params.get(head);
      boolean single = p.getMin() == p.getMax();
      sb.append("| ")
          .append(head)
          .append(" | ")
          .append(
              single
                  ? Points.count(p.getMax())
                  : Points.count(p.getMin()) + "–" + Points.count(p.getMax()))
          .append(" | ")
          .append(matched && single ? ratio((double) p.getMax() / dwatt.getMax()) : Points.NONE)
          .append(" |\n");
    }
    return sb.toString();
  }

  private static String ratio(double r) {
    return r < 0.005 ? "< 0.01" : String.format(Locale.ROOT, "%.2f", r);
  }
}
