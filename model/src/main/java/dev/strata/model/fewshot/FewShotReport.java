package dev.strata.model.fewshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a sweep's {@code runs.jsonl} into {@code results.md} and PNG charts in the same directory.
 *
 * <p>Runs are grouped by (backbone, data set); each group gets a section and its own charts, named
 * {@code <backbone>-<data>-f1-vs-k.png} and {@code <backbone>-<data>-steps-k<k>.png} (characters
 * other than letters, digits, {@code .}, {@code _} and {@code -} become {@code _}). When a run
 * appears more than once, the later line counts and the report lists the earlier ones.
 */
public final class FewShotReport {
  /** The report file written next to {@code runs.jsonl}. */
  public static final String RESULTS_FILE = "results.md";

  /** The k values that get a dev-F1-against-step chart. */
  public static final List<Integer> STEP_CHART_KS = List.of(100, 1000);

  private FewShotReport() {}

  /**
   * Reads {@code dir/runs.jsonl} and writes {@code dir/results.md} and the charts.
   *
   * @throws java.nio.file.NoSuchFileException when {@code dir} holds no {@code runs.jsonl}
   */
  public static ReportFiles write(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    RunLog log = RunLog.read(dir.resolve(RunLog.FILE_NAME));
    Map<RunKey, FewShotRun> latest = new LinkedHashMap<>();
    List<RunKey> replaced = new ArrayList<>();
    for (FewShotRun run : log.runs()) {
      if (latest.remove(run.key()) != null) {
        replaced.add(run.key());
      }
      latest.put(run.key(), run);
    }
    Map<String, List<FewShotRun>> groups = new TreeMap<>();
    latest
        .values()
        .forEach(r -> groups.computeIfAbsent(groupName(r), g -> new ArrayList<>()).add(r));

    StringBuilder md = new StringBuilder("# Few-shot sweep results\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "From `%s`: %d run%s counted in %d group%s of backbone and data set.\n",
            RunLog.FILE_NAME,
            latest.size(),
            latest.size() == 1 ? "" : "s",
            groups.size(),
            groups.size() == 1 ? "" : "s"));
    if (log.skippedCutOffLine()) {
      md.append(
          "\nThe last line was cut off (a run interrupted while writing) and is not counted.\n");
    }
    if (!replaced.isEmpty()) {
      md.append("\nRuns logged more than once (the last line counts): ");
      md.append(String.join(", ", replaced.stream().map(RunKey::toString).toList())).append(".\n");
    }
    List<Path> charts = new ArrayList<>();
    for (Map.Entry<String, List<FewShotRun>> group : groups.entrySet()) {
      section(md, ResultsTable.of(group.getValue()), group.getKey(), dir, charts);
    }
    Path results = dir.resolve(RESULTS_FILE);
    Files.writeString(results, md.toString(), StandardCharsets.UTF_8);
    return new ReportFiles(results, charts);
  }

  private static void section(
      StringBuilder md, ResultsTable table, String prefix, Path dir, List<Path> charts)
      throws IOException {
    md.append("\n## ").append(table.backbone()).append(" on ").append(table.data()).append("\n\n");
    md.append("### Test F1\n\n")
        .append("Points, `mean ± std (n)` over seeds with the sample std (n − 1); `—` when n < 2")
        .append(" or there is no run. The last two columns compare means; best fusion is the")
        .append(" better of concat and dwatt at that k (named in parentheses).\n\n")
        .append(table.f1Markdown());
    md.append("\n### Gains seed by seed\n\n")
        .append(
            "Every seed trains all heads on the same sample, so differences are taken seed by"
                + " seed: `mean ± std (n)` in points over the seeds where both heads ran, and on"
                + " how many of those seeds the first head scored higher.\n\n")
        .append(table.pairedMarkdown());
    md.append("\n### Step efficiency\n\n")
        .append(
            "Dev F1 in points, means over seeds: at the first evaluation → at the best evaluation,"
                + " the mean step of that best, and (n) runs. Every head at one k has the same step"
                + " budget and evaluation steps, so a head ahead at the first evaluation but level"
                + " at the best learns faster, not better.\n\n")
        .append(StepEfficiency.markdown(table));
    md.append("\n### Trainable parameters\n\n").append(table.paramsMarkdown());
    md.append("\n### Claim check\n\n").append(ClaimCheck.markdown(table));
    md.append("\n### Charts\n\n");
    Path f1 = Plots.writeF1VsK(table, dir.resolve(prefix + "-f1-vs-k.png"));
    charts.add(f1);
    md.append("![test F1 against k](").append(f1.getFileName()).append(")\n\n");
    for (int k : STEP_CHART_KS) {
      Path file = dir.resolve(prefix + "-steps-k" + k + ".png");
      Optional<Path> steps = Plots.writeStepCurves(table, k, file);
      if (steps.isPresent()) {
        charts.add(steps.get());
        md.append("![dev F1 against training step, k=")
            .append(k)
            .append("](")
            .append(file.getFileName())
            .append(")\n\n");
      } else {
        Files.deleteIfExists(file);
        md.append("No run at k=").append(k).append(" has a dev history yet: no step chart.\n\n");
      }
    }
    md.append("### Runs counted\n\n").append(runList(table));
  }

  private static String runList(ResultsTable table) {
    StringBuilder sb = new StringBuilder();
    sb.append("<details><summary>")
        .append(table.runs().size())
        .append(" runs</summary>\n\n")
        .append("| k | head | seed | test F1 | dev F1 | best step / steps | trainable params |")
        .append(" wall s |\n|---:|---|---:|---:|---:|---:|---:|---:|\n");
    table.runs().stream()
        .sorted(
            Comparator.comparing(FewShotRun::k, ResultsTable::compareK)
                .thenComparing(FewShotRun::head, ResultsTable::compareHeads)
                .thenComparingLong(FewShotRun::seed))
        .forEach(
            r ->
                sb.append(
                    String.format(
                        Locale.ROOT,
                        "| %s | %s | %d | %s | %s | %d / %d | %s | %.1f |\n",
                        Points.k(r.k()),
                        r.head(),
                        r.seed(),
                        Points.of(r.testF1()),
                        Points.of(r.devF1()),
                        r.bestStep(),
                        r.steps(),
                        Points.count(r.trainableParams()),
                        r.wallSeconds())));
    return sb.append("\n</details>\n").toString();
  }

  /** The file-name prefix of a run's group: {@code <backbone>-<data>}, safe as a file name. */
  static String groupName(FewShotRun run) {
    return safe(run.backbone()) + "-" + safe(run.data());
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** Writes the report for the sweep directory given as the only argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException(
          "usage: FewShotReport <sweep dir>  (the directory that holds runs.jsonl)");
    }
    ReportFiles files = write(Path.of(args[0]));
    System.out.println("wrote " + files.markdown());
    files.charts().forEach(c -> System.out.println("wrote " + c));
  }
}
