package dev.strata.model.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLogTest {
  @TempDir Path dir;

  private Path file() {
    return dir.resolve(RunLog.FILE_NAME);
  }

  @Test
  void appendWritesOneLinePerRunAndReadsBack() throws IOException {
    RunLog log = RunLog.open(file());
    FewShotRun a = TestRuns.run("dwatt", 100, 1, 0.7, 10);
    FewShotRun b = TestRuns.run("dwatt", 100, 2, 0.8, 10);

    log.append(a);
    log.append(b);

    assertThat(Files.readAllLines(file())).containsExactly(a.toJsonLine(), b.toJsonLine());
    assertThat(RunLog.read(file()).runs()).containsExactly(a, b);
  }

  @Test
  void aCutOffLastLineIsSkipped() throws IOException {
    FewShotRun a = TestRuns.run("concat", 50, 1, 0.6, 10);
    String cut = TestRuns.EXAMPLE_LINE.substring(0, 70);
    Files.writeString(file(), a.toJsonLine() + "\n" + cut, StandardCharsets.UTF_8);

    RunLog log = RunLog.read(file());

    assertThat(log.runs()).containsExactly(a);
    assertThat(log.skippedCutOffLine()).isTrue();
  }

  @Test
  void appendRemovesTheCutOffLineFirst() throws IOException {
    FewShotRun a = TestRuns.run("concat", 50, 1, 0.6, 10);
    FewShotRun b = TestRuns.run("concat", 50, 2, 0.65, 10);
    Files.writeString(
        file(), a.toJsonLine() + "\n{\"backbone\":\"b\",\"da", StandardCharsets.UTF_8);

    RunLog log = RunLog.open(file());
    log.append(b);

    assertThat(Files.readString(file())).isEqualTo(a.toJsonLine() + "\n" + b.toJsonLine() + "\n");
    assertThat(RunLog.read(file()).skippedCutOffLine()).isFalse();
  }

  @Test
  void appendAfterACompleteLineWithoutLineBreakStartsANewLine() throws IOException {
    FewShotRun a = TestRuns.run("last", 50, 1, 0.6, 10);
    FewShotRun b = TestRuns.run("last", 50, 2, 0.6, 10);
    Files.writeString(file(), a.toJsonLine(), StandardCharsets.UTF_8);

    RunLog.open(file()).append(b);

    assertThat(RunLog.read(file()).runs()).containsExactly(a, b);
  }

  @Test
  void aBadLineBeforeTheLastIsAnErrorNamingTheLine() throws IOException {
    FewShotRun a = TestRuns.run("last", 50, 1, 0.6, 10);
    Files.writeString(
        file(), a.toJsonLine() + "\nnot json\n" + a.toJsonLine() + "\n", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> RunLog.read(file()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("fix or delete that line");
  }

  @Test
  void containsTellsTheSweepWhichRunsToSkip() throws IOException {
    RunLog log = RunLog.open(file());
    log.append(TestRuns.run("dwatt", FewShotRun.FULL, 3, 0.9, 10));

    RunLog resumed = RunLog.open(file());

    assertThat(resumed.contains("b", "d", "dwatt", FewShotRun.FULL, 3)).isTrue();
    assertThat(resumed.contains("b", "d", "dwatt", FewShotRun.FULL, 4)).isFalse();
    assertThat(resumed.contains("b", "d", "concat", FewShotRun.FULL, 3)).isFalse();
    assertThat(resumed.contains("b", "other", "dwatt", FewShotRun.FULL, 3)).isFalse();
    assertThat(resumed.contains("b", "d", "dwatt", 1000, 3)).isFalse();
  }

  @Test
  void appendingARunTwiceIsRefused() throws IOException {
    RunLog log = RunLog.open(file());
    log.append(TestRuns.run("dwatt", 100, 1, 0.7, 10));

    assertThatThrownBy(() -> log.append(TestRuns.run("dwatt", 100, 1, 0.75, 10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already in");
    assertThat(Files.readAllLines(file())).hasSize(1);
  }

  @Test
  void readingAMissingFileSaysWhatToDo() {
    assertThatThrownBy(() -> RunLog.read(file()))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("run the sweep first");
  }

  @Test
  void openingAMissingFileStartsEmpty() throws IOException {
    RunLog log = RunLog.open(file());

    assertThat(log.runs()).isEmpty();
    assertThat(Files.exists(file())).isFalse();
  }
}
