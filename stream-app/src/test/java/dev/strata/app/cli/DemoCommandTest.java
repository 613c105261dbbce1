package dev.strata.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Option checks of {@code strata demo} that fail before anything starts. */
class DemoCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = StrataCommand.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void helpDescribesTheDemo() {
    assertThat(run("demo", "--help")).isZero();
    assertThat(out.toString())
        .contains("Usage: strata demo", "--model", "--texts", "--once", "--interval-ms");
  }

  @Test
  void anIntervalOutOfRangeIsRefused() {
    assertThat(run("demo", "--interval-ms", "5")).isEqualTo(2);
    assertThat(err.toString()).contains("--interval-ms must be between 10 and 60000, got 5");
  }

  @Test
  void aNegativeThreadCountIsRefused() {
    assertThat(run("demo", "--threads", "-1")).isEqualTo(2);
    assertThat(err.toString()).contains("--threads must be 0 (all cores) or more, got -1");
  }

  @Test
  void bootstrapServersWithoutRegistryIsRefused() {
    assertThat(run("demo", "--bootstrap-servers", "h:9092")).isEqualTo(2);
    assertThat(err.toString()).contains("give both or neither");
  }

  @Test
  void aMissingModelFileIsRefusedWithHowToMakeOne(@TempDir Path dir) {
    assertThat(run("demo", "--model", dir.resolve("none.strata").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("is not a file; train one with 'strata train'");
  }

  @Test
  void aMissingTextsFileIsRefused(@TempDir Path dir) {
    assertThat(run("demo", "--texts", dir.resolve("none.txt").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--texts").contains("is not a file");
  }

  @Test
  void theDataFolderDefaultsToSharedDataNextToTheProject() {
    assertThat(DemoCommand.defaultDataDir(Path.of("/x/project")))
        .satisfiesAnyOf(
            p -> assertThat(p).isEqualTo(Path.of("/x/shared/data")),
            p -> assertThat(System.getenv("STRATA_DATA_DIR")).isNotBlank());
  }
}
