package dev.strata.model.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FewShotReportTest {
  @TempDir Path dir;

  private static FewShotRun run(String backbone, String head, int k, long seed, double f1) {
    List<HistoryPoint> history =
        List.of(
            new HistoryPoint(10, f1 / 2), new HistoryPoint(20, f1 * 0.9), new HistoryPoint(30, f1));
    return new FewShotRun(
        backbone, "conll2003", head, k, seed, 100, 30, 30, f1, f1, Map.of(), 2, history, Map.of());
  }

  @Test
  void writesOneSectionAndOneSetOfChartsPerGroup() throws IOException {
    RunLog log = RunLog.open(dir.resolve(RunLog.FILE_NAME));
    for (String backbone : List.of("bert-base-cased", "org/tiny")) {
      for (String head : List.of("deeper", "concat", "dwatt")) {
        for (int seed = 1; seed <= 2; seed++) {
          log.append(run(backbone, head, 100, seed, 0.6 + 0.01 * seed));
        }
      }
    }
    Files.writeString(
        log.file(),
        "{\"backbone\":\"bert",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);

    ReportFiles files = FewShotReport.write(dir);

    String md = Files.readString(files.markdown());
    assertThat(files.markdown()).isEqualTo(dir.resolve("results.md"));
    assertThat(md)
        .contains("From `runs.jsonl`: 12 runs counted in 2 groups")
        .contains("The last line was cut off")
        .contains("## bert-base-cased on conll2003")
        .contains("## org/tiny on conll2003")
        .contains("### Claim check")
        .contains("### Gains seed by seed")
        .contains("### Step efficiency")
        .contains(
            "| 100 | 0.00 ± 0.00 (2), 0/2 ahead | 0.00 ± 0.00 (2), 0/2 ahead"
                + " | 0.00 ± 0.00 (2), 0/2 ahead |")
        .contains(
            "| 100 | 61.50 ± 0.71 (2) | 61.50 ± 0.71 (2) | 61.50 ± 0.71 (2) | 0.00 (dwatt) | 0.00 |")
        .contains("![test F1 against k](bert-base-cased-conll2003-f1-vs-k.png)")
        .contains("![dev F1 against training step, k=100](org_tiny-conll2003-steps-k100.png)")
        .contains("No run at k=1000 has a dev history yet")
        .contains("| 100 | dwatt | 2 | 62.00 | 62.00 | 30 / 30 | 100 | 2.0 |");
    assertThat(files.charts())
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "bert-base-cased-conll2003-f1-vs-k.png",
            "bert-base-cased-conll2003-steps-k100.png",
            "org_tiny-conll2003-f1-vs-k.png",
            "org_tiny-conll2003-steps-k100.png");
    for (Path chart : files.charts()) {
      assertThat(chart).exists().isNotEmptyFile();
    }
  }

  @Test
  void aRunLoggedTwiceCountsOnceWithTheLaterLine() throws IOException {
    FewShotRun first = run("b", "dwatt", 50, 1, 0.5);
    FewShotRun again = run("b", "dwatt", 50, 1, 0.7);
    Files.writeString(
        dir.resolve(RunLog.FILE_NAME), first.toJsonLine() + "\n" + again.toJsonLine() + "\n");

    String md = Files.readString(FewShotReport.write(dir).markdown());

    assertThat(md)
        .contains("1 run counted in 1 group")
        .contains(
            "Runs logged more than once (the last line counts): b/conll2003 dwatt k=50 seed=1.")
        .contains("| 50 | 70.00 ± — (1) |");
  }

  @Test
  void aDirectoryWithoutARunLogSaysWhatToDo() {
    assertThatThrownBy(() -> FewShotReport.write(dir))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("run the sweep first");
  }
}
