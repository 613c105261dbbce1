package dev.strata.app.cli;

import dev.strata.model.backbone.CheckpointLoader;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.FewShotSampler;
import dev.strata.model.fewshot.DataSets;
import dev.strata.model.fewshot.FewShotSweep;
import dev.strata.model.fewshot.SweepHead;
import dev.strata.model.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata fewshot}: the paper's few-shot protocol over heads, sizes and seeds. */
@Command(
    name = "fewshot",
    mixinStandardHelpOptions = true,
    description = {
      "Run the few-shot protocol: for every size k and seed a seeded sample of k training"
          + " sentences (the same for every head), each head trained with early stopping on dev and"
          + " scored on test. Appends one JSON line per run to DIR/runs.jsonl (a resumed sweep skips"
          + " finished runs) and writes DIR/results.md and PNG charts.",
      "--smoke: a CI-sized check of the whole pipeline (small backbone default, 2 sizes, 1 seed,"
          + " few steps, 1000 training / 200 dev / 200 test sentences)."
    })
final class FewshotCommand implements Callable<Integer> {
  @Mixin EncoderOptions encoderOptions;

  @Option(
      names = "--heads",
      split = ",",
      defaultValue = "last,deeper,concat,dwatt",
      description =
          "Head types, or dwatt-scaled (DWAtt with its layer logits scaled by 1/sqrt(H), a column"
              + " of its own). Default: ${DEFAULT-VALUE}.")
  List<String> heads;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "50,100,200,500,1000,full",
      description = "Sample sizes k ('full' = whole training set). Default: ${DEFAULT-VALUE}.")
  List<String> sizes;

  @Option(
      names = "--seeds",
      defaultValue = "5",
      description = "Seeds 1..N. Default: ${DEFAULT-VALUE}.")
  int seeds;

  @Option(
      names = "--data",
      defaultValue = "conll2003",
      description = "conll2003 or wikiann-en. Default: ${DEFAULT-VALUE}.")
  String data;

  @Option(
      names = "--data-dir",
      description =
          "Folder holding the data sets. Default: STRATA_DATA_DIR or ../shared/data next to"
              + " the project.")
  Path dataDir;

  @Option(names = "--out", required = true, description = "Output folder.")
  Path out;

  @Option(
      names = "--min-steps",
      defaultValue = "200",
      description = "Least steps per run. Default: ${DEFAULT-VALUE}.")
  int minSteps;

  @Option(
      names = "--evals",
      defaultValue = "10",
      description = "Dev evaluations per run. Default: ${DEFAULT-VALUE}.")
  int evals;

  @Option(
      names = "--dev-limit",
      defaultValue = "0",
      description = "Use the first N dev sentences (0 = all).")
  int devLimit;

  @Option(
      names = "--test-limit",
      defaultValue = "0",
      description = "Use the first N test sentences (0 = all).")
  int testLimit;

  @Option(names = "--smoke", description = "CI-sized run (see above).")
  boolean smoke;

  @Option(names = "--cache-dir", description = "Where encoder states are cached.")
  Path cacheDir;

  @Mixin TrainingOptions trainingOptions;

  @Override
  public Integer call() throws IOException {
    int pool = 0;
    if (smoke) {
      if (encoderOptions.backbone.equals("bert-base-cased")) {
        encoderOptions.backbone = "all-MiniLM-L6-v2";
      }
      sizes = List.of("20", "50");
      seeds = 1;
      minSteps = Math.min(minSteps, 30);
      evals = Math.min(evals, 3);
      pool = 1000;
      devLimit = devLimit > 0 ? devLimit : 200;
      testLimit = testLimit > 0 ? testLimit : 200;
    }
    encoderOptions.applyThreads();
    List<SweepHead> sweepHeads = new ArrayList<>();
    for (String h : heads) {
      sweepHeads.add(SweepHead.parse(h));
    }
    List<Integer> ks = new ArrayList<>();
    for (String s : sizes) {
      ks.add(FewShotSampler.parseK(s.trim()));
    }
    List<Integer> seedList = new ArrayList<>();
    for (int s = 1; s <= seeds; s++) {
      seedList.add(s);
    }
    TrainingConfig base = trainingOptions.toConfig(1);
    FewShotSweep.Spec spec =
        new FewShotSweep.Spec(
            sweepHeads, ks, seedList, base, minSteps, evals, pool, devLimit, testLimit);
    Path dir = dataDir != null ? dataDir : defaultDataDir();
    DataSets.Splits splits = DataSets.load(data, dir);
    try (LoadedBackbone bb = LoadedBackbone.open(encoderOptions.backbone, encoderOptions.device)) {
      System.out.printf(
          "fewshot: %s on %s, heads %s, sizes %s, seeds %s -> %s%n",
          bb.spec().name(), splits.name(), heads, sizes, seedList, out);
      FewShotSweep.run(
          bb,
          splits,
          spec,
          out,
          cacheDir != null ? cacheDir : CheckpointLoader.defaultCacheDir(),
          System.out);
      System.out.printf("report: %s%n", out.resolve("results.md"));
    }
    return 0;
  }

  /** STRATA_DATA_DIR, else {@code shared/data} next to the project folder (as for the demo). */
  static Path defaultDataDir() {
    return DemoCommand.defaultDataDir(DemoCommand.home());
  }
}
