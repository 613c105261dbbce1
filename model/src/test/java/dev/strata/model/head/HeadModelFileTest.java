package dev.strata.model.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Save → load round trips and the refusals of the head model file. */
class HeadModelFileTest {
  static final BackboneShape B = HeadParameterCountTest.SMALL;
  static final BackboneRef BACKBONE = new BackboneRef("tiny-bert", "sha256:abc123");
  static final List<String> TAGS = List.of("O", "B-PER", "I-PER");
  static final List<String> TOPICS = List.of("sport", "politics");

  @TempDir Path dir;

  static FusionModel model(NDManager m, HeadType type) {
    return model(m, HeadConfig.builder().setType(type).optLayerRange(1, 3).build());
  }

  static FusionModel model(NDManager m, HeadConfig head) {
    FusionModel model =
        FusionModel.builder()
            .setHeadConfig(head)
            .setBackbone(B)
            .optTokenClasses(3)
            .optSequenceClasses(2)
            .build();
    model.initialize(m, 4);
    HeadFixtures.setWeights(model, 8);
    return model;
  }

  static SaveInfo info() {
    return new SaveInfo(
        BACKBONE, TAGS, TOPICS, Map.of("learningRate", 0.001, "seed", 42), Map.of("devF1", "0.9"));
  }

  static float[] outputs(FusionModel model, NDManager m) {
    NDArray states = HeadFixtures.array(m, HeadFixtures.states(new Random(3), 2, 4, 4, 8));
    FusionOutput o =
        model.run(new ParameterStore(m, false), states, HeadFixtures.mask(m, 4, 4, 2), false);
    NDArray all = o.tokenLogits().flatten().concat(o.sequenceLogits().flatten());
    if (o.layerWeights() != null) {
      all = all.concat(o.layerWeights().flatten());
    }
    return all.toFloatArray();
  }

  @ParameterizedTest
  @EnumSource(HeadType.class)
  void saveThenLoadGivesIdenticalPredictions(HeadType type) {
    Path file = dir.resolve(type.id() + ".strata-head");
    try (NDManager m = NDManager.newBaseManager();
        NDManager loadManager = NDManager.newBaseManager()) {
      FusionModel model = model(m, type);
      float[] before = outputs(model, m);
      HeadModelFile.write(file, model, info());

      LoadedHeadModel loaded = HeadModelFile.read(file, BACKBONE, loadManager);
      assertThat(outputs(loaded.model(), loadManager)).containsExactly(before);
      HeadModelHeader h = loaded.header();
      assertThat(h.formatVersion()).isEqualTo(HeadModelFile.FORMAT_VERSION);
      assertThat(h.backbone()).isEqualTo(BACKBONE);
      assertThat(h.backboneShape()).isEqualTo(B);
      assertThat(h.head()).isEqualTo(model.head().config());
      assertThat(h.tokenLabels()).isEqualTo(TAGS);
      assertThat(h.sequenceLabels()).isEqualTo(TOPICS);
      assertThat(h.trainableParameters()).isEqualTo(model.trainableParameters());
      assertThat(h.training()).containsEntry("seed", 42);
      assertThat(h.metadata()).containsEntry("devF1", "0.9");
      assertThat(HeadModelFile.readHeader(file)).isEqualTo(h);
    }
  }

  @Test
  void nonDefaultDwattSettingsSurviveTheRoundTrip() {
    Path file = dir.resolve("scaled.strata-head");
    HeadConfig scaled =
        HeadConfig.builder()
            .setType(HeadType.DWATT)
            .optScaleLogits(true)
            .optWeightDropout(0.2f)
            .build();
    try (NDManager m = NDManager.newBaseManager();
        NDManager loadManager = NDManager.newBaseManager()) {
      FusionModel model = model(m, scaled);
      HeadModelFile.write(file, model, info());

      LoadedHeadModel loaded = HeadModelFile.read(file, BACKBONE, loadManager);
      assertThat(loaded.header().head()).isEqualTo(scaled);
      assertThat(loaded.header().head().scaleLogits()).isTrue();
      assertThat(loaded.header().newModel().head().config()).isEqualTo(scaled);
    }
  }

  private Path saved() {
    Path file = dir.resolve("dwatt.strata-head");
    try (NDManager m = NDManager.newBaseManager()) {
      HeadModelFile.write(file, model(m, HeadType.DWATT), info());
    }
    return file;
  }

  private static void assertRefused(
      Path file, BackboneRef expected, HeadModelException.Reason reason, String... parts) {
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> HeadModelFile.read(file, expected, m))
          .isInstanceOfSatisfying(
              HeadModelException.class, e -> assertThat(e.reason()).isEqualTo(reason))
          .hasMessageContainingAll(parts);
    }
  }

  @Test
  void anotherFormatVersionIsRefused() throws IOException {
    Path file = saved();
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer.wrap(bytes).putInt(8, 2);
    Files.write(file, bytes);
    assertRefused(
        file,
        BACKBONE,
        HeadModelException.Reason.FORMAT_VERSION,
        "expected format version 1, got 2",
        "upgrade");
  }

  @Test
  void anotherBackboneIsRefused() {
    Path file = saved();
    assertRefused(
        file,
        new BackboneRef("tiny-bert", "sha256:fff"),
        HeadModelException.Reason.BACKBONE_MISMATCH,
        "model was trained on backbone tiny-bert (checksum sha256:abc123),"
            + " not tiny-bert (checksum sha256:fff)",
        "retrain");
    assertRefused(
        file,
        new BackboneRef("bert-base-cased", "sha256:abc123"),
        HeadModelException.Reason.BACKBONE_MISMATCH,
        "not bert-base-cased");
  }

  @Test
  void corruptPayloadIsRefused() throws IOException {
    Path file = saved();
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 100] ^= 0x10;
    Files.write(file, bytes);
    assertRefused(file, BACKBONE, HeadModelException.Reason.CORRUPT, "is corrupt", "SHA-256");
  }

  @Test
  void truncatedFileIsRefused() throws IOException {
    Path file = saved();
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertRefused(file, BACKBONE, HeadModelException.Reason.CORRUPT, "is corrupt");
  }

  @Test
  void otherFilesAreRefused() throws IOException {
    Path file = dir.resolve("weights.bin");
    Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
    assertRefused(
        file, BACKBONE, HeadModelException.Reason.NOT_A_HEAD_MODEL, "not a Strata head model");
  }

  @Test
  void labelsMustMatchTheClassifiers() {
    try (NDManager m = NDManager.newBaseManager()) {
      FusionModel model = model(m, HeadType.LAST);
      SaveInfo wrong = new SaveInfo(BACKBONE, List.of("O", "B-PER"), TOPICS, null, null);
      assertThatThrownBy(() -> HeadModelFile.toBytes(model, wrong))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("tokenLabels has 2 labels")
          .hasMessageContaining("3 classes");
    }
  }
}
