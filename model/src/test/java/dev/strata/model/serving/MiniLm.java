package dev.strata.model.serving;

import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.Sentence;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.ner.TaskTraining;
import dev.strata.model.ner.TrainedModel;
import dev.strata.model.testing.TestJars;
import dev.strata.model.train.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The small all-MiniLM-L6-v2 backbone and a PER/LOC/ORG head trained on it, shared by the serving
 * and refinement tests of one test JVM (loaded once, released at exit).
 */
public final class MiniLm {
  private static LoadedBackbone backbone;
  private static HeadArtifact peopleHead;
  private static HeadArtifact gadgetHead;

  private MiniLm() {}

  /** Where the tests of this build cache encoder states. */
  public static Path cacheDir() {
    return TestJars.sharedWorkDir("feedback-cache");
  }

  public static synchronized LoadedBackbone backbone() {
    if (backbone == null) {
      backbone = LoadedBackbone.open("all-MiniLM-L6-v2", "cpu");
      LoadedBackbone b = backbone;
      Runtime.getRuntime().addShutdownHook(new Thread(b::close));
    }
    return backbone;
  }

  /** A dwatt head tagging PER, LOC and ORG, trained on 60 templated sentences. */
  public static synchronized HeadArtifact peopleHead() {
    if (peopleHead == null) {
      peopleHead = train(Synthetic.peopleAndPlaces(60, 1));
    }
    return peopleHead;
  }

  /** A dwatt head tagging GADGET, trained on 60 templated sentences. */
  public static synchronized HeadArtifact gadgetHead() {
    if (gadgetHead == null) {
      List<Sentence> train = new ArrayList<>();
      Synthetic.gadgetFeedback("g", 60, 5).forEach(e -> train.add(e.sentence()));
      gadgetHead = train(train);
    }
    return gadgetHead;
  }

  private static HeadArtifact train(List<Sentence> train) {
    return train(HeadConfig.of(HeadType.DWATT), train);
  }

  /** A head of {@code head}'s settings trained on {@code train} as the shared heads are. */
  public static HeadArtifact train(HeadConfig head, List<Sentence> train) {
    TaskTraining.Options o =
        new TaskTraining.Options(
            head,
            TrainingConfig.builder()
                .optBatchSize(8)
                .optEpochs(12)
                .optLearningRate(3e-3f)
                .optSeed(3)
                .build(),
            cacheDir(),
            null);
    try (TrainedModel m = TaskTraining.trainTagger(backbone(), train, null, o)) {
      Path file = Files.createTempFile("head", ".strata");
      try {
        m.save(file);
        return HeadArtifact.parse(Files.readAllBytes(file));
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
