package dev.strata.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DJL (Hugging Face tokenizers) path on the all-MiniLM-L6-v2 tokenizer.json. */
class HfTokenizerTest {

  private static HfTokenizer tokenizer;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = TestVocabs.minilmTokenizerJson()) {
      tokenizer = HfTokenizer.fromStream(in);
    }
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void helloWorld() {
    Encoding e = tokenizer.encode("Hello, world!");
    assertThat(e.tokens()).containsExactly("[CLS]", "hello", ",", "world", "!", "[SEP]");
    assertThat(e.ids()).containsExactly(101, 7592, 1010, 2088, 999, 102);
    assertThat(e.wordIds()).containsExactly(-1, 0, 1, 2, 3, -1);
    assertThat(e.starts()).containsExactly(-1, 0, 5, 7, 12, -1);
    assertThat(e.ends()).containsExactly(-1, 5, 6, 12, 13, -1);
  }

  @Test
  void truncationAndPaddingOfTheFileAreOff() {
    // the file asks for truncation and padding at 128
    Encoding e = tokenizer.encode("word ".repeat(300));
    assertThat(e.length()).isEqualTo(302);
    assertThat(tokenizer.encode("short").length()).isEqualTo(3);
  }

  @Test
  void offsetsAreUtf16IndicesNotCodePoints() {
    Encoding e = tokenizer.encode("😀😀 ok");
    assertThat(e.tokens()).containsExactly("[CLS]", "[UNK]", "ok", "[SEP]");
    assertThat(e.starts()).containsExactly(-1, 0, 5, -1);
    assertThat(e.ends()).containsExactly(-1, 4, 7, -1);
  }

  @Test
  void specialTokensInTheTextAreOrdinaryText() {
    Encoding e = tokenizer.encode("a [SEP] b");
    assertThat(e.tokens()).containsExactly("[CLS]", "a", "[", "sep", "]", "b", "[SEP]");
    assertThat(e.wordIds()).containsExactly(-1, 0, 1, 2, 3, 4, -1);
  }

  @Test
  void vocabularyFacts() {
    assertThat(tokenizer.vocabSize()).isEqualTo(30_522);
    assertThat(tokenizer.lowercase()).isTrue();
  }

  @Test
  void nonWordPieceFilesAreRefused() {
    String bpe = "{\"model\":{\"type\":\"BPE\",\"vocab\":{},\"merges\":[]}}";
    assertThatThrownBy(
            () ->
                HfTokenizer.fromStream(
                    new ByteArrayInputStream(bpe.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BPE")
        .hasMessageContaining("vocab.txt");
  }
}
