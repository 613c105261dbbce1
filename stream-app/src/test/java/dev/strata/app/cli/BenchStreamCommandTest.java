package dev.strata.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bench-stream} for real at a tiny size: all-MiniLM-L6-v2, a head trained on the fly on
 * CoNLL-03 sentences from the shared data (skipped when absent), a few records.
 */
class BenchStreamCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    picocli.CommandLine cl = StrataCommand.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  /** {@code strata.data.dir}, else {@code ../shared/data} from the project root. */
  private static Path dataDir() {
    String prop = System.getProperty("strata.data.dir");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null
        && !(Files.isRegularFile(dir.resolve("pom.xml"))
            && Files.isDirectory(dir.resolve("model")))) {
      dir = dir.getParent();
    }
    return dir == null || dir.getParent() == null
        ? Path.of("shared", "data")
        : dir.getParent().resolve("shared").resolve("data");
  }

  private static double rate(String report, String label) {
    Matcher m =
        Pattern.compile(
                Pattern.quote(label)
                    + " +(records/s|ratio|gain) +([0-9.]+) \\[([0-9.]+)–([0-9.]+)\\]")
            .matcher(report);
    assertThat(m.find()).as("line '" + label + "' in:\n" + report).isTrue();
    double median = Double.parseDouble(m.group(2));
    assertThat(Double.parseDouble(m.group(3))).isLessThanOrEqualTo(median);
    assertThat(Double.parseDouble(m.group(4))).isGreaterThanOrEqualTo(median);
    return median;
  }

  @Test
  void measuresATinyRunOnARealModelAndTopology() {
    Path data = dataDir();
    assumeTrue(
        Files.isRegularFile(data.resolve("conll2003/train.txt")),
        "CoNLL-03 not found under " + data + " (set -Dstrata.data.dir); skipping");

    int code =
        run(
            "bench-stream",
            "--backbone",
            "all-MiniLM-L6-v2",
            "--device",
            "cpu",
            "--threads",
            "1",
            "--data-dir",
            data.toString(),
            "--batch-size",
            "4",
            "--records",
            "8",
            "--reps",
            "2");

    String report = out.toString();
    assertThat(code).as(err.toString() + report).isZero();
    assertThat(report)
        .contains("trained a dwatt head on 100 CoNLL-03 training sentences")
        .containsPattern("model: all-MiniLM-L6-v2/dwatt@[0-9a-f]{12}")
        .contains("sentences of test.txt (CoNLL, detokenised)")
        .contains("8 records per measurement, 2 repetitions, batch 4");
    double annotator = rate(report, "annotator alone, batch 4");
    double topology = rate(report, "topology, batch 4");
    double replayed = rate(report, "topology, model replayed");
    double single = rate(report, "annotator alone, batch 1");
    assertThat(annotator).isPositive();
    assertThat(topology).isPositive();
    assertThat(single).isPositive();
    assertThat(replayed).isGreaterThan(topology);
    assertThat(rate(report, "topology / annotator")).isPositive();
    assertThat(rate(report, "batch 4 / batch 1")).isPositive();
    assertThat(report).containsPattern("target ≥ 0.85: (met|NOT met)");
  }

  @Test
  void missingTextsFileIsAUserError() {
    assertThat(run("bench-stream", "--texts", "no-such-texts.txt", "--model", "m.strata"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("no-such-texts.txt");
  }

  @Test
  void missingConllDataNamesTheWaysToProvideIt() {
    assertThat(run("bench-stream", "--data-dir", "no-such-dir", "--model", "m.strata"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("CoNLL-03 test sentences not found")
        .contains("--texts FILE")
        .contains("STRATA_DATA_DIR");
  }
}
