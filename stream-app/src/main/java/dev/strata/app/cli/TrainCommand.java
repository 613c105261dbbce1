package dev.strata.app.cli;

import dev.strata.model.backbone.CheckpointLoader;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.ClassifyTsvReader;
import dev.strata.model.data.ConllReader;
import dev.strata.model.data.FewShotSampler;
import dev.strata.model.data.LabeledText;
import dev.strata.model.data.Sentence;
import dev.strata.model.head.BackboneShape;
import dev.strata.model.head.DeeperSizing;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.ner.TaskTraining;
import dev.strata.model.ner.TrainedModel;
import dev.strata.model.train.TrainingConfig;
import dev.strata.model.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata train}: a fusion head on a frozen backbone, from CoNLL or TSV files. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a head (last, deeper, concat, dwatt, scalarmix) on a frozen backbone. Encoder states"
          + " of the data are computed once and cached; with --dev, training stops early on"
          + " entity F1 (accuracy for --task classify) and keeps the best weights.",
      "NER data: CoNLL files (token first, IOB2 tag last; -DOCSTART- lines skipped)."
          + " Classification data: label<TAB>text lines."
    })
final class TrainCommand implements Callable<Integer> {
  @Mixin EncoderOptions encoderOptions;

  @Option(
      names = "--head",
      defaultValue = "dwatt",
      description = "Head type. Default: ${DEFAULT-VALUE}.")
  String head;

  @Option(
      names = "--scale-logits",
      description =
          "dwatt only: scale the layer-attention logits q.k_n by 1/sqrt(H) (off by default, as the"
              + " method is specified). Keeps the softmax over layers from locking onto one layer"
              + " early in training; see docs/results.md.")
  boolean scaleLogits;

  @Option(
      names = "--task",
      defaultValue = "ner",
      description = "ner or classify. Default: ${DEFAULT-VALUE}.")
  String task;

  @Option(names = "--train", required = true, description = "Training file.")
  Path train;

  @Option(names = "--dev", description = "Dev file for early stopping and model selection.")
  Path dev;

  @Option(
      names = "--limit",
      description = "Train on K sentences sampled with --seed (unique sentences), or 'full'.")
  String limit;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Sampling and initialisation seed. Default: ${DEFAULT-VALUE}.")
  int seed;

  @Option(names = "--out", required = true, description = "Model file to write.")
  Path out;

  @Mixin TrainingOptions trainingOptions;

  @Option(
      names = "--cache-dir",
      description =
          "Where encoder states are cached. Default: the Strata cache (STRATA_CACHE_DIR).")
  Path cacheDir;

  @Override
  public Integer call() throws IOException {
    encoderOptions.applyThreads();
    PrintStream log = System.out;
    long t0 = System.nanoTime();
    HeadType type = HeadType.parse(head);
    if (scaleLogits && type != HeadType.DWATT) {
      throw new IllegalArgumentException(
          "--scale-logits applies to the dwatt head only, not '"
              + type.id()
              + "'; drop the option or use --head dwatt");
    }
    HeadConfig headConfig = HeadConfig.builder().setType(type).optScaleLogits(scaleLogits).build();
    TrainingConfig config = trainingOptions.toConfig(seed);
    Path cache = cacheDir != null ? cacheDir : CheckpointLoader.defaultCacheDir();
    try (LoadedBackbone bb = LoadedBackbone.open(encoderOptions.backbone, encoderOptions.device)) {
      log.printf(
          "backbone %s (%d layers x %d) on %s, loaded in %d ms%n",
          bb.spec().name(),
          bb.encoder().config().layers(),
          bb.encoder().config().hidden(),
          bb.encoder().device(),
          bb.loadMillis());
      if (headConfig.type() == HeadType.DEEPER) {
        log.println(
            DeeperSizing.choose(BackboneShape.of(bb.encoder().config()), headConfig).describe());
      }
      TaskTraining.Options options = new TaskTraining.Options(headConfig, config, cache, log);
      TrainedModel model;
      if (task.equals("ner")) {
        ConllReader reader = ConllReader.create();
        List<Sentence> trainSet = sample(reader.read(train));
        List<Sentence> devSet = dev == null ? null : reader.read(dev);
        model = TaskTraining.trainTagger(bb, trainSet, devSet, options);
      } else if (task.equals("classify")) {
        List<LabeledText> trainSet = ClassifyTsvReader.read(train);
        if (limit != null && FewShotSampler.parseK(limit) != FewShotSampler.FULL) {
          int k = FewShotSampler.parseK(limit);
          if (k > trainSet.size()) {
            throw new IllegalArgumentException(
                "--limit " + k + " exceeds the " + trainSet.size() + " training texts");
          }
          List<LabeledText> shuffled = new java.util.ArrayList<>(trainSet);
          java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
          trainSet = shuffled.subList(0, k);
        }
        List<LabeledText> devSet = dev == null ? null : ClassifyTsvReader.read(dev);
        model = TaskTraining.trainClassifier(bb, trainSet, devSet, options);
      } else {
        throw new IllegalArgumentException("unknown --task '" + task + "'; use ner or classify");
      }
      try (model) {
        model.save(out);
        TrainingResult r = model.result();
        log.printf(
            "trained %s head%s: %d steps (%.1f steps/s), best dev %s at step %d%s; total %.1f s"
                + " including feature extraction%n",
            headConfig.type().id(),
            headConfig.scaleLogits() ? " (logits scaled by 1/sqrt(H))" : "",
            r.steps(),
            r.stepsPerSecond(),
            Double.isNaN(r.bestDevScore()) ? "n/a" : String.format("%.4f", r.bestDevScore()),
            r.bestStep(),
            r.stoppedEarly() ? " (stopped early)" : "",
            (System.nanoTime() - t0) / 1e9);
        log.printf("saved %s%n", out);
      }
    }
    return 0;
  }

  private List<Sentence> sample(List<Sentence> all) {
    if (limit == null) {
      return all;
    }
    return FewShotSampler.sample(all, FewShotSampler.parseK(limit), seed);
  }
}
