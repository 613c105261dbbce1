package dev.strata.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real model for the end-to-end tests: a {@code dwatt} head trained on {@value #TRAIN_SENTENCES}
 * CoNLL-03 training sentences over the frozen {@value #BACKBONE} encoder, wrapped as the stream
 * application wraps it ({@link EntityTaggerAnnotator}). Trained once per test JVM and shared by
 * every test class that takes an {@link EntityTaggerAnnotator} parameter; closed when the run ends.
 *
 * <p>Data comes from {@code ../shared/data/conll2003} (or {@code -Dstrata.data.dir}); tests that
 * need the model skip when it is absent, like the data-dependent tests of the other modules.
 */
final class TrainedTagger implements ParameterResolver {
  static final String BACKBONE = "all-MiniLM-L6-v2";
  static final int TRAIN_SENTENCES = 200;
  static final int DEV_SENTENCES = 100;

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(TrainedTagger.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == EntityTaggerAnnotator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    Path conll = dataDir().resolve("conll2003");
    assumeTrue(
        Files.isDirectory(conll),
        "CoNLL-03 not found at "
            + conll
            + ": place the shared data next to the project (../shared/data) or run with"
            + " -Dstrata.data.dir=<folder>; skipping");
    return c.getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent("annotator", k -> new Holder(train(conll)), Holder.class)
        .annotator;
  }

  /** Closes the annotator when the root context (the whole run) closes. */
  private record Holder(EntityTaggerAnnotator annotator)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      annotator.close();
    }
  }

  /** Where the trained model file is written (under the module's {@code target/}). */
  static Path modelFile() {
    return Path.of("target", "it-model", "ner-" + BACKBONE + "-dwatt.strata").toAbsolutePath();
  }

  private static EntityTaggerAnnotator train(Path conll) {
    long t0 = System.nanoTime();
    Path file = modelFile();
    Path work = file.getParent();
    try {
      Files.createDirectories(work);
      ConllReader reader = ConllReader.create();
      List<Sentence> train =
          FewShotSampler.sample(reader.read(conll.resolve("train.txt")), TRAIN_SENTENCES, 1);
      List<Sentence> dev =
          FewShotSampler.sample(reader.read(conll.resolve("dev.txt")), DEV_SENTENCES, 2);
      TaskTraining.Options options =
          new TaskTraining.Options(
              HeadConfig.of(HeadType.DWATT),
              TrainingConfig.builder()
                  .optLearningRate(2e-3f)
                  .optBatchSize(16)
                  .optEpochs(8)
                  .optEvalEvery(25)
                  .optPatience(4)
                  .optSeed(7)
                  .build(),
              work.resolve("features"),
              null);
      try (LoadedBackbone backbone = LoadedBackbone.open(BACKBONE, "cpu");
          TrainedModel model = TaskTraining.trainTagger(backbone, train, dev, options)) {
        model.save(file);
        System.out.printf(
            "[strata-it] trained %s/dwatt on %d CoNLL-03 sentences: dev F1 %.3f, %d steps, %.1f s%n",
            BACKBONE,
            train.size(),
            model.result().bestDevScore(),
            model.result().steps(),
            (System.nanoTime() - t0) / 1e9);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot prepare the test model in " + work, e);
    }
    return EntityTaggerAnnotator.open(file, BACKBONE, "cpu");
  }

  /** {@code -Dstrata.data.dir}, else {@code ../shared/data} next to the project root. */
  static Path dataDir() {
    String prop = System.getProperty("strata.data.dir");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("model"))) {
        Path parent = d.getParent();
        return (parent == null ? d : parent).resolve("shared/data");
      }
    }
    return Path.of("shared/data").toAbsolutePath();
  }
}
