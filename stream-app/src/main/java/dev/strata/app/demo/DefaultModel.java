package dev.strata.app.demo;

import static java.util.Objects.requireNonNull;

import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.ConllReader;
import dev.strata.model.data.FewShotSampler;
import dev.strata.model.data.Sentence;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.ner.TaskTraining;
import dev.strata.model.ner.TrainedModel;
import dev.strata.model.train.TrainingConfig;
import dev.strata.model.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The demo's default entity tagger: taken from the cache when a model of the recipe is there,
 * otherwise trained once from the data set and saved atomically (a run interrupted while training
 * leaves no file behind, and the next run trains again).
 */
public final class DefaultModel {
  private final DefaultModelRecipe recipe;
  private final Path cacheDir;
  private final Path dataDir;

  /**
   * @param recipe how the model is made
   * @param cacheDir the Strata cache; the model goes to {@code models/} under it and the encoder
   *     states of the data to {@code features/}
   * @param dataDir folder holding {@code <recipe.dataSet()>/train.txt} and {@code dev.txt}
   */
  public DefaultModel(DefaultModelRecipe recipe, Path cacheDir, Path dataDir) {
    this.recipe = requireNonNull(recipe, "recipe");
    this.cacheDir = requireNonNull(cacheDir, "cacheDir");
    this.dataDir = requireNonNull(dataDir, "dataDir");
  }

  /** The cached model file of the recipe (it may not exist yet). */
  public Path file() {
    return recipe.cachedFile(cacheDir);
  }

  /** Whether the model is already in the cache. */
  public boolean isCached() {
    return Files.isRegularFile(file());
  }

  /**
   * The model file, trained first when it is not cached.
   *
   * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
   * @param log progress and the dev score of a new model
   * @throws DemoException when the model must be trained and the data is missing
   */
  public Path ensure(String device, PrintStream log) throws IOException {
    requireNonNull(device, "device");
    requireNonNull(log, "log");
    Path file = file();
    if (Files.isRegularFile(file)) {
      log.printf("default model: %s (cached)%n", file);
      return file;
    }
    Path folder = dataDir.resolve(recipe.dataSet());
    Path train = folder.resolve("train.txt");
    Path dev = folder.resolve("dev.txt");
    if (!Files.isRegularFile(train) || !Files.isRegularFile(dev)) {
      throw new DemoException(
          "no default model in "
              + file.getParent()
              + " and no CoNLL-03 data to train it: put train.txt and dev.txt in "
              + folder.toAbsolutePath().normalize()
              + " (or set STRATA_DATA_DIR / --data-dir), or pass --model FILE");
    }
    log.printf(
        "default model not cached yet: training it once (%s head on %s, %d %s train sentences,"
            + " early stopping on %d dev sentences); later runs start at once%n",
        recipe.head(), recipe.backbone(), recipe.trainSize(), recipe.dataSet(), recipe.devSize());
    long t0 = System.nanoTime();
    ConllReader reader = ConllReader.create();
    List<Sentence> trainSet =
        FewShotSampler.sample(reader.read(train), recipe.trainSize(), recipe.seed());
    List<Sentence> devSet =
        FewShotSampler.sample(reader.read(dev), recipe.devSize(), recipe.seed());
    TaskTraining.Options options =
        new TaskTraining.Options(
            HeadConfig.of(HeadType.parse(recipe.head())), trainingConfig(), cacheDir, log);
    try (LoadedBackbone bb = LoadedBackbone.open(recipe.backbone(), device);
        TrainedModel model = TaskTraining.trainTagger(bb, trainSet, devSet, options)) {
      Files.createDirectories(file.getParent());
      model.save(file);
      TrainingResult r = model.result();
      log.printf(
          Locale.ROOT,
          "default model trained in %.0f s: dev F1 %.4f (%d dev sentences) at step %d of %d;"
              + " saved %s%n",
          (System.nanoTime() - t0) / 1e9,
          r.bestDevScore(),
          devSet.size(),
          r.bestStep(),
          r.steps(),
          file);
    }
    return file;
  }

  private TrainingConfig trainingConfig() {
    return TrainingConfig.builder()
        .optEpochs(recipe.epochs())
        .optEvalEvery(recipe.evalEvery())
        .optSeed(recipe.seed())
        .build();
  }
}
