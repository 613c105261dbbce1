package dev.strata.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.strata.app.bench.BenchTexts;
import dev.strata.app.bench.StreamBenchmark;
import dev.strata.app.model.EntityTaggerAnnotator;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.ConllReader;
import dev.strata.model.data.FewShotSampler;
import dev.strata.model.data.Sentence;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.ner.TaskTraining;
import dev.strata.model.ner.TrainedModel;
import dev.strata.model.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata bench-stream}: annotator alone against the full topology, and batching gain. */
@Command(
    name = "bench-stream",
    mixinStandardHelpOptions = true,
    description = {
      "Measure, in one run, records/s of the annotator alone and of the full topology (Kafka's"
          + " TopologyTestDriver: no broker, real Avro serdes over an in-memory registry, the"
          + " open-batch store) at --batch-size, the topology with the model's answers replayed"
          + " (the pipeline's own cost), and the annotator at batch 1. Prints median [min-max]"
          + " over repetitions and whether the targets are met (topology >= 0.85x the annotator,"
          + " batching >= 5x batch 1).",
      "Without --model, a dwatt head is first trained on 100 CoNLL-03 training sentences on"
          + " --backbone. Texts: CoNLL-03 test sentences, detokenised, or --texts FILE."
    })
final class BenchStreamCommand implements Callable<Integer> {
  private static final int TRAIN_SENTENCES = 100;
  private static final int SEED = 1;

  @Spec CommandSpec spec;

  @Mixin EncoderOptions encoderOptions;

  @Option(
      names = "--model",
      description =
          "Model file written by 'strata train'. Default: train a dwatt head on the fly on "
              + TRAIN_SENTENCES
              + " CoNLL-03 sentences.")
  Path model;

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      description = "Micro-batch size (batch.max.records). Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--records",
      defaultValue = "256",
      description = "Records per measurement. Default: ${DEFAULT-VALUE}.")
  int records;

  @Option(names = "--reps", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}.")
  int reps;

  @Option(names = "--texts", description = "Texts to feed, one per line (default: CoNLL-03 test).")
  Path texts;

  @Option(
      names = "--data-dir",
      description =
          "Folder holding the data sets. Default: STRATA_DATA_DIR or ../shared/data next to"
              + " the project.")
  Path dataDir;

  @Override
  public Integer call() throws IOException {
    StreamBenchmark.Options options = new StreamBenchmark.Options(batchSize, records, reps);
    ((Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.ERROR);
    encoderOptions.applyThreads();
    PrintWriter out = spec.commandLine().getOut();
    Path data = dataDir != null ? dataDir : FewshotCommand.defaultDataDir();
    BenchTexts benchTexts =
        texts != null
            ? BenchTexts.lines(texts)
            : BenchTexts.conll(data.resolve("conll2003").resolve("test.txt"));
    out.printf(
        "bench-stream: %s, %d cores (shared with other jobs: figures are noisy), java %s,"
            + " %d intra-op threads, device %s%n",
        java.time.LocalDate.now(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        encoderOptions.threadCount(),
        encoderOptions.device);
    Path work = Files.createTempDirectory("strata-bench-stream");
    try {
      Path modelFile = model != null ? model : trainOnTheFly(data, work, out);
      String expectedBackbone = model != null && !backboneGiven() ? "" : encoderOptions.backbone;
      try (EntityTaggerAnnotator annotator =
          EntityTaggerAnnotator.open(modelFile, expectedBackbone, encoderOptions.device)) {
        StreamBenchmark.run(annotator, benchTexts, options, out);
      }
    } finally {
      deleteRecursively(work);
    }
    return 0;
  }

  private boolean backboneGiven() {
    return spec.commandLine().getParseResult().hasMatchedOption("--backbone");
  }

  private Path trainOnTheFly(Path data, Path work, PrintWriter out) throws IOException {
    Path trainFile = data.resolve("conll2003").resolve("train.txt");
    if (!Files.isRegularFile(trainFile)) {
      throw new UserFacingException(
          "no --model given and CoNLL-03 training data not found at "
              + trainFile.toAbsolutePath().normalize()
              + ": train a model with 'strata train' and pass --model, or place the shared data"
              + " next to the project (../shared/data), set STRATA_DATA_DIR or pass --data-dir");
    }
    long t0 = System.nanoTime();
    List<Sentence> sample =
        FewShotSampler.sample(ConllReader.create().read(trainFile), TRAIN_SENTENCES, SEED);
    Path modelFile = work.resolve("bench.strata");
    try (LoadedBackbone bb = LoadedBackbone.open(encoderOptions.backbone, encoderOptions.device)) {
      TaskTraining.Options o =
          new TaskTraining.Options(
              HeadConfig.of(HeadType.DWATT),
              TrainingConfig.builder().optSeed(SEED).build(),
              work.resolve("features"),
              null);
      try (TrainedModel trained = TaskTraining.trainTagger(bb, sample, null, o)) {
        trained.save(modelFile);
      }
    }
    out.printf(
        "trained a dwatt head on %d CoNLL-03 training sentences (seed %d) on %s in %.1f s%n",
        sample.size(), SEED, encoderOptions.backbone, (System.nanoTime() - t0) / 1e9);
    out.flush();
    return modelFile;
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp directory left behind is harmless
    }
  }
}
