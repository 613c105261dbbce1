package dev.strata.model.fewshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.SharedData;
import dev.strata.model.head.HeadType;
import dev.strata.model.testing.TestJars;
import dev.strata.model.train.TrainingConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The few-shot pipeline end to end in smoke size: real CoNLL-03 sentences (skipped when the shared
 * data folder is absent), the small all-MiniLM-L6-v2 backbone, two heads, two sizes and the full
 * (smoke-sized) training pool, one seed.
 */
class FewShotSmokeTest {
  @TempDir Path out;

  @Test
  void sweepWritesRunsReportAndChartsAndResumes() throws Exception {
    Path data = SharedData.require("conll2003").getParent();
    System.setProperty("strata.cache.dir", TestJars.sharedWorkDir("strata-cache").toString());
    DataSets.Splits splits = DataSets.load("conll2003", data);
    FewShotSweep.Spec spec =
        new FewShotSweep.Spec(
            List.of(SweepHead.of(HeadType.LAST), SweepHead.of(HeadType.DWATT)),
            List.of(20, 50, FewShotRun.FULL),
            List.of(1),
            TrainingConfig.builder().optBatchSize(8).optEpochs(1).optPatience(10).build(),
            20,
            2,
            300,
            100,
            100);
    PrintStream log = new PrintStream(java.io.OutputStream.nullOutputStream());
    Path cache = TestJars.sharedWorkDir("strata-cache");
    try (LoadedBackbone bb = LoadedBackbone.open("all-MiniLM-L6-v2", "cpu")) {
      FewShotSweep.run(bb, splits, spec, out, cache, log);
      List<FewShotRun> runs = RunLog.read(out.resolve(RunLog.FILE_NAME)).runs();
      assertThat(runs).hasSize(6);
      for (FewShotRun r : runs) {
        assertThat(r.backbone()).isEqualTo("all-MiniLM-L6-v2");
        assertThat(r.steps()).isGreaterThanOrEqualTo(20);
        assertThat(r.testF1()).isBetween(0.0, 1.0);
        assertThat(r.history()).isNotEmpty();
        assertThat(r.perTypeF1()).containsKeys("LOC", "MISC", "ORG", "PER");
        assertThat(r.config()).containsEntry("positions", "word starts"); // last and dwatt
      }
      // full trains on the whole 300-sentence pool: one epoch of batches of 8
      assertThat(runs.stream().filter(r -> r.k() == FewShotRun.FULL))
          .hasSize(2)
          .allMatch(r -> r.steps() == 300 / 8 + 1, "38 steps (300 sentences, batch 8, 1 epoch)");
      // dwatt learns something from 50 sentences; the floor of a useless model is 0.
      assertThat(runs.stream().filter(r -> r.head().equals("dwatt") && r.k() == 50))
          .allMatch(r -> r.testF1() > 0.05);
      String md = Files.readString(out.resolve("results.md"));
      assertThat(md)
          .contains("dwatt")
          .contains("last")
          .contains("| 20 ")
          .contains("| 50 ")
          .contains("| full ");
      try (var pngs = Files.list(out)) {
        assertThat(pngs.filter(p -> p.toString().endsWith(".png")).count())
            .isGreaterThanOrEqualTo(1);
      }

      FewShotSweep.run(bb, splits, spec, out, cache, log);
      assertThat(RunLog.read(out.resolve(RunLog.FILE_NAME)).runs()).hasSize(6);
    }
  }
}
