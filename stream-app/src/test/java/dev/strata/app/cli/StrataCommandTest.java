package dev.strata.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line without a backbone: help, listings and errors. */
class StrataCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = StrataCommand.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "backbones",
        "verify-backbone",
        "encode",
        "bench-encoder",
        "bench-stream",
        "train",
        "evaluate",
        "predict",
        "fewshot",
        "run",
        "feedback",
        "heads",
        "topics",
        "stream-eval"
      })
  void everyCommandHasHelp(String command) {
    assertThat(run(command, "--help")).isZero();
    assertThat(out.toString()).contains("Usage: strata " + command);
  }

  @Test
  void topLevelHelpListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("backbones", "verify-backbone", "encode", "bench-encoder", "topics")
        .containsPattern("(?m)^  verify-backbone ")
        .containsPattern("(?m)^  bench-encoder ")
        .containsPattern("(?m)^  bench-stream ")
        .containsPattern("(?m)^  test\\s+build and run all tests on a local Kafka")
        .containsPattern("(?m)^  infra start\\|stop\\|status\\s+the local Kafka");
  }

  @Test
  void inTheImageTheHelpShowsHowToRunItInsteadOfTheLaunchersCommands() {
    StringWriter help = new StringWriter();
    CommandLine cl = StrataCommand.newCommandLine(true);
    cl.setOut(new PrintWriter(help));
    assertThat(cl.execute("--help")).isZero();
    assertThat(help.toString())
        .contains("backbones", "topics", "run --config /etc/strata/strata.properties")
        .doesNotContain("infra start")
        .doesNotContainPattern("(?m)^  (verify-backbone|bench-encoder|bench-stream) ");
  }

  @Test
  void inTheImageTheCommandsItLacksLibrariesForAreRefusedWithTheReason() {
    for (String name : StrataCommand.NOT_IN_IMAGE.keySet()) {
      StringWriter err = new StringWriter();
      CommandLine cl = StrataCommand.newCommandLine(true);
      cl.setErr(new PrintWriter(err, true));
      assertThat(cl.execute(name, "--help")).as(name).isEqualTo(2);
      assertThat(err.toString())
          .startsWith("error: " + name + " is not in the container image: it needs ")
          .contains("run it from a checkout: ./strata " + name);
    }
    // Outside the image the same command runs (its help here).
    assertThat(StrataCommand.newCommandLine(false).execute("bench-stream", "--help")).isZero();
  }

  @Test
  void inTheImageAMissingBackboneSaysHowToGetOne() {
    Exception missing =
        new dev.strata.model.backbone.ArtifactResolutionException("g:a:1 is not in /repo.");
    assertThat(StrataCommand.describe(missing)).isEqualTo("g:a:1 is not in /repo.");
    System.setProperty(StrataCommand.IMAGE_PROPERTY, "true");
    try {
      assertThat(StrataCommand.describe(missing))
          .startsWith("this container image does not carry the weights needed: g:a:1")
          .contains("./strata image --backbones NAME");
    } finally {
      System.clearProperty(StrataCommand.IMAGE_PROPERTY);
    }
  }

  @Test
  void verifyBackboneRefusesAGpuBeforeLoadingAnything() {
    assertThat(run("verify-backbone", "--device", "gpu")).isEqualTo(2);
    assertThat(err.toString()).contains("runs on the CPU only", "drop --device gpu");
  }

  @Test
  void backbonesListsEveryBuiltInWithItsShape() {
    assertThat(run("backbones")).isZero();
    assertThat(out.toString())
        .contains("bert-base-cased", "bert-base-uncased", "bge-small-en-v1.5", "e5-small-v2")
        .containsPattern("all-MiniLM-L6-v2\\s+6\\s+384")
        .containsPattern("bert-base-cased\\s+12\\s+768\\s+12\\s+cased")
        .contains("hf:FOLDER");
  }

  @Test
  void everyCommandThatRunsAModelTakesDeviceAndThreads() {
    for (String command :
        List.of(
            "demo", "run", "encode", "train", "fewshot", "evaluate", "predict", "bench-stream")) {
      StringWriter help = new StringWriter();
      CommandLine cl = StrataCommand.newCommandLine();
      cl.setOut(new PrintWriter(help));
      assertThat(cl.execute(command, "--help")).as(command).isZero();
      assertThat(help.toString())
          .as(command)
          .contains("--device", "auto (GPU when visible, else CPU)", "--threads", "0 = all cores");
    }
  }

  @Test
  void aNegativeThreadCountIsRefusedBeforeTheEngineStarts() {
    assertThat(run("encode", "--threads", "-2", "--text", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("--threads must be 0 (all cores) or more, got -2");
  }

  @Test
  void unknownBackboneIsRefusedWithTheKnownNames() {
    assertThat(run("encode", "--backbone", "bert-huge", "--text", "x")).isEqualTo(2);
    assertThat(err.toString())
        .contains("unknown backbone 'bert-huge'")
        .contains("bert-base-cased, bert-base-uncased, bge-small-en-v1.5");
  }

  @Test
  void missingCheckpointFolderIsRefused() {
    assertThat(run("encode", "--backbone", "hf:/no/such/folder", "--text", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("checkpoint folder").contains("does not exist");
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    assertThat(run("encode")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--text=<text>'");
  }

  @Test
  void predictNeedsTextOrDataAndOut() {
    assertThat(run("predict", "--model", "m.strata")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required argument");
  }

  @Test
  void missingModelFileIsRefusedWithAHint() {
    assertThat(run("evaluate", "--model", "no-such.strata", "--data", "x.txt")).isEqualTo(2);
    assertThat(err.toString()).contains("no-such.strata does not exist").contains("strata train");
  }

  @Test
  void scaleLogitsIsRefusedForAHeadWithoutLayerAttention() {
    assertThat(run("train", "--head", "concat", "--scale-logits", "--train", "x", "--out", "y"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--scale-logits applies to the dwatt head only");
  }

  @Test
  void unknownHeadIsRefused() {
    assertThat(run("train", "--head", "wide", "--train", "x", "--out", "y")).isEqualTo(2);
    assertThat(err.toString()).contains("wide");
  }

  @Test
  void runRefusesAMissingConfigFile() {
    assertThat(run("run", "--config", "no-such-strata.properties")).isEqualTo(2);
    assertThat(err.toString()).contains("no-such-strata.properties").contains("does not exist");
  }

  @Test
  void runRefusesABadValueNamingTheKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Path file = dir.resolve("strata.properties");
    java.nio.file.Files.writeString(
        file,
        "bootstrap.servers=b:9092\nschema.registry.url=http://r\nmodel.path=m\n"
            + "batch.max.records=0\n");
    assertThat(run("run", "--config", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("batch.max.records").contains("at least 1");
  }

  private static java.nio.file.Path config(java.nio.file.Path dir) throws java.io.IOException {
    java.nio.file.Path file = dir.resolve("strata.properties");
    java.nio.file.Files.writeString(
        file, "bootstrap.servers=127.0.0.1:1\nschema.registry.url=http://r\nmodel.path=m\n");
    return file;
  }

  @Test
  void headsSubcommandsHaveHelp() {
    assertThat(run("heads", "list", "--help")).isZero();
    assertThat(out.toString()).contains("Usage: strata heads list").contains("--config");
    assertThat(run("heads", "rollback", "--help")).isZero();
    assertThat(out.toString()).contains("NAME").contains("VERSION");
  }

  @Test
  void rollbackNeedsANumericVersionOfAtLeastOne(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    String cfg = config(dir).toString();
    assertThat(run("heads", "rollback", "--config", cfg, "custom", "latest")).isEqualTo(2);
    assertThat(err.toString()).contains("VERSION").contains("latest");
    assertThat(run("heads", "rollback", "--config", cfg, "custom", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("VERSION must be at least 1, got 0");
    assertThat(run("heads", "rollback", "--config", cfg, "custom")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter");
  }

  @Test
  void feedbackRefusesBadArgumentsBeforeConnecting(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    String cfg = config(dir).toString();
    assertThat(run("feedback", "--config", cfg, "--head", "my@head", "--file", "x.txt"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--head 'my@head'");
    assertThat(run("feedback", "--config", cfg, "--head", "h", "--file", "x.txt", "--limit", "0"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--limit must be at least 1");
    assertThat(run("feedback", "--config", cfg, "--head", "h", "--file", "no-such.conll"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("no-such.conll does not exist");
    assertThat(run("feedback", "--config", cfg, "--file", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--head=<head>'");
  }

  @Test
  void feedbackRefusesABadConfigNamingTheKey(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    java.nio.file.Path conll = dir.resolve("f.conll");
    java.nio.file.Files.writeString(conll, "Alice B-PER\nruns O\n\n");
    java.nio.file.Path file = dir.resolve("bad.properties");
    java.nio.file.Files.writeString(
        file,
        "bootstrap.servers=b:9092\nschema.registry.url=http://r\nmodel.path=m\n"
            + "feedback.max.per.head=0\n");
    assertThat(
            run("feedback", "--config", file.toString(), "--head", "h", "--file", conll.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("feedback.max.per.head").contains("at least 1");
  }

  @Test
  void streamEvalRefusesBadOptions(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    String cfg = config(dir).toString();
    assertThat(
            run("stream-eval", "--config", cfg, "--head", "h", "--data", "x", "--timeout", "PT0S"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--timeout must be positive");
    assertThat(run("stream-eval", "--config", cfg, "--head", "h", "--data", "missing.conll"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("missing.conll does not exist");
  }

  @Test
  void fileErrorsNameTheFileAndWhatToDo() {
    assertThat(StrataCommand.describe(new java.nio.file.AccessDeniedException("/etc/strata/m")))
        .startsWith("permission denied: /etc/strata/m (strata runs as user '")
        .contains("chmod a+r", "chown");
    assertThat(
            StrataCommand.describe(
                new java.io.UncheckedIOException(
                    new java.nio.file.NoSuchFileException("/etc/strata/m"))))
        .isEqualTo("file not found: /etc/strata/m");
    assertThat(
            StrataCommand.describe(
                new java.nio.file.FileSystemException("/data", null, "Read-only file system")))
        .startsWith("cannot use /data: Read-only file system (point streams.state.dir");
    assertThat(StrataCommand.describe(new java.nio.file.FileSystemException(null, null, "busy")))
        .isEqualTo("cannot use a file: busy");
    assertThat(StrataCommand.isUserError(new java.nio.file.AccessDeniedException("/x"))).isTrue();
  }

  @Test
  void aBadKafkaSettingIsAnOperatorErrorNamingTheStreamsKeys() {
    // What new KafkaStreams(...) throws for streams.num.stream.threads=x.
    var bad =
        new org.apache.kafka.common.config.ConfigException(
            "num.stream.threads", "x", "Not a number of type INT");
    assertThat(StrataCommand.isUserError(bad)).isTrue();
    assertThat(StrataCommand.describe(bad))
        .startsWith("invalid Kafka setting: Invalid value x for configuration num.stream.threads")
        .contains("streams.* keys");
  }
}
