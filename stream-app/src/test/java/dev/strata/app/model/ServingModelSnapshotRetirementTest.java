package dev.strata.app.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.app.feedback.HeadRecords;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.ConllReader;
import dev.strata.model.data.Sentence;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.ner.EntityTagger;
import dev.strata.model.ner.TaskTraining;
import dev.strata.model.ner.TrainedModel;
import dev.strata.model.serving.HeadArtifact;
import dev.strata.model.serving.ServedHead;
import dev.strata.model.serving.ServingModel;
import dev.strata.model.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots retire in creation order: a head shared by an older snapshot that a batch still uses is
 * not freed when a newer snapshot that dropped it retires first (all-MiniLM-L6-v2, a head trained
 * for a few steps on CoNLL-03).
 */
class ServingModelSnapshotRetirementTest {
  @TempDir Path work;

  @Test
  void aHeadSharedWithAnOlderLeasedSnapshotSurvivesANewerRetirement() throws Exception {
    String prop = System.getProperty("strata.data.dir");
    // surefire runs in stream-app/; the data sits next to the project root
    Path data =
        (prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("../../shared/data"))
            .resolve("conll2003");
    assumeTrue(Files.isRegularFile(data.resolve("train.txt")), "CoNLL-03 not found at " + data);
    List<Sentence> train = ConllReader.create().read(data.resolve("train.txt")).subList(0, 16);
    try (LoadedBackbone bb = LoadedBackbone.open("all-MiniLM-L6-v2", "cpu")) {
      HeadArtifact head = train(bb, train);
      String backbone = EntityTagger.ref(bb).id();
      ServingModelSnapshot s0 =
          new ServingModelSnapshot(
              ServingModel.empty(bb).withHead("x", "0", head).withHead("y", "0", head));
      ServedHead y0 = s0.model().heads().get("y");
      ServedHead x0 = s0.model().heads().get("x");
      ServingModelSnapshot s1 = (ServingModelSnapshot) s0.withHead(record("x", 1, backbone, head));
      ServingModelSnapshot s2 = (ServingModelSnapshot) s1.withHead(record("y", 1, backbone, head));
      assertThat(s1.model().heads().get("y")).isSameAs(y0);

      // s0 is still leased by a batch; s1 was never leased and is retired when s2 takes over.
      s1.retire();
      assertThat(y0.closed()).as("y0 is still served by s0").isFalse();
      assertThat(s0.annotateWithHeads(List.of("Alice visited Paris ."))).hasSize(1);

      // s0's last lease closes: s0 retires, then the waiting s1.
      s0.retire();
      assertThat(x0.closed()).isTrue();
      assertThat(y0.closed()).isTrue();
      assertThat(s2.model().heads().get("x").closed()).isFalse();
      assertThat(s2.annotateWithHeads(List.of("Bob flew to Rome ."))).hasSize(1);
      s2.retire();
      assertThat(s2.model().heads().get("y").closed()).isTrue();
    }
  }

  private static dev.strata.schemas.avro.HeadRecord record(
      String name, long version, String backbone, HeadArtifact head) {
    return HeadRecords.builder(name, version, backbone, Instant.now(), head.bytes()).build();
  }

  private HeadArtifact train(LoadedBackbone bb, List<Sentence> train) throws Exception {
    TaskTraining.Options o =
        new TaskTraining.Options(
            HeadConfig.of(HeadType.DWATT),
            TrainingConfig.builder().optBatchSize(8).optEpochs(1).optSeed(1).build(),
            work,
            null);
    try (TrainedModel m = TaskTraining.trainTagger(bb, train, null, o)) {
      Path file = work.resolve("head.strata");
      m.save(file);
      return HeadArtifact.parse(Files.readAllBytes(file));
    }
  }
}
