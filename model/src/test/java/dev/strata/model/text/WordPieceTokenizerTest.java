package dev.strata.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-checked expectations for the pure-Java WordPiece tokenizer. */
class WordPieceTokenizerTest {

  @TempDir static Path dir;

  private static WordPieceTokenizer uncased;
  private static WordPieceTokenizer cased;

  @BeforeAll
  static void load() throws IOException {
    uncased = WordPieceTokenizer.fromVocab(TestVocabs.minilmVocabTxt(dir), true);
    cased = WordPieceTokenizer.fromVocab(TestVocabs.casedVocabTxt(dir), false);
  }

  @Test
  void helloWorld() {
    Encoding e = uncased.encode("Hello, world!");
    assertThat(e.tokens()).containsExactly("[CLS]", "hello", ",", "world", "!", "[SEP]");
    assertThat(e.ids()).containsExactly(101, 7592, 1010, 2088, 999, 102);
    assertThat(e.wordIds()).containsExactly(-1, 0, 1, 2, 3, -1);
    assertThat(e.starts()).containsExactly(-1, 0, 5, 7, 12, -1);
    assertThat(e.ends()).containsExactly(-1, 5, 6, 12, 13, -1);
    assertThat(e.wordCount()).isEqualTo(4);
    assertThat(e.droppedTokens()).isZero();
  }

  @Test
  void accentsAreStrippedButOffsetsPointIntoTheOriginal() {
    Encoding e = uncased.encode("Café déjà vu");
    assertThat(e.tokens()).containsExactly("[CLS]", "cafe", "de", "##ja", "vu", "[SEP]");
    assertThat(e.wordIds()).containsExactly(-1, 0, 1, 1, 2, -1);
    assertThat(e.starts()).containsExactly(-1, 0, 5, 7, 10, -1);
    assertThat(e.ends()).containsExactly(-1, 4, 7, 9, 12, -1);

    // decomposed input is longer than the normalised text: "u" + U+0308 is one letter
    Encoding decomposed = uncased.encode("Zu\u0308rich");
    assertThat(decomposed.tokens()).containsExactly("[CLS]", "zurich", "[SEP]");
    assertThat(decomposed.ends()[1]).isEqualTo(7);
  }

  @Test
  void casedVocabularyKeepsCaseAndAccents() {
    Encoding e = cased.encode("Café Zürich");
    assertThat(e.tokens()).containsExactly("[CLS]", "Café", "Zürich", "[SEP]");
    assertThat(cased.encode("hello Hello").tokens())
        .containsExactly("[CLS]", "hello", "Hello", "[SEP]");
    assertThat(cased.lowercase()).isFalse();
  }

  @Test
  void cjkIdeographsAreWordsOfTheirOwn() {
    Encoding e = uncased.encode("東京は日本の首都");
    assertThat(e.tokens())
        .containsExactly("[CLS]", "東", "京", "は", "日", "本", "の", "[UNK]", "都", "[SEP]");
    // は and の are kana, not ideographs, but each is a vocabulary entry of its own
    assertThat(e.wordIds()).containsExactly(-1, 0, 1, 2, 3, 4, 5, 6, 7, -1);
    assertThat(e.starts()).containsExactly(-1, 0, 1, 2, 3, 4, 5, 6, 7, -1);
  }

  @Test
  void surrogatePairsAreNeverSplit() {
    Encoding e = cased.encode("a 😀 x😀😀");
    assertThat(e.tokens()).containsExactly("[CLS]", "a", "😀", "x", "##😀", "##😀", "[SEP]");
    assertThat(e.starts()).containsExactly(-1, 0, 2, 5, 6, 8, -1);
    assertThat(e.ends()).containsExactly(-1, 1, 4, 6, 8, 10, -1);
    assertThat(e.wordIds()).containsExactly(-1, 0, 1, 2, 2, 2, -1);
  }

  @Test
  void unmatchedOrOverlongWordsAreOneUnknown() throws IOException {
    Encoding e = uncased.encode("x" + "y".repeat(100) + " ok");
    assertThat(e.tokens()).containsExactly("[CLS]", "[UNK]", "ok", "[SEP]");
    assertThat(e.starts()[1]).isZero();
    assertThat(e.ends()[1]).isEqualTo(101);

    WordPieceTokenizer short5 =
        WordPieceTokenizer.fromVocab(
            new StringReader(String.join("\n", TestVocabs.CASED_VOCAB)), false, 5);
    assertThat(short5.encode("Hello").tokens()).containsExactly("[CLS]", "Hello", "[SEP]");
    assertThat(short5.encode("Helloo").tokens()).containsExactly("[CLS]", "[UNK]", "[SEP]");
    // "Hellq": "Hell" is not in the cased vocabulary, so the whole word is unknown
    assertThat(cased.encode("Hellq").tokens()).containsExactly("[CLS]", "[UNK]", "[SEP]");
  }

  @Test
  void controlCharactersAreDroppedAndWhitespaceSplits() {
    Encoding e = uncased.encode("a\u0000b\tc\nd\u200De");
    assertThat(e.tokens()).containsExactly("[CLS]", "ab", "c", "de", "[SEP]");
    assertThat(e.starts()).containsExactly(-1, 0, 4, 6, -1);
    assertThat(e.ends()).containsExactly(-1, 3, 5, 9, -1);
  }

  @Test
  void emptyAndBlankTextGiveOnlySpecialTokens() {
    for (String text : List.of("", " ", "\t\r\n", "\u0001\u200B")) {
      Encoding e = uncased.encode(text);
      assertThat(e.tokens()).as("\"%s\"", text).containsExactly("[CLS]", "[SEP]");
      assertThat(e.wordCount()).isZero();
    }
  }

  @Test
  void preSplitWordsUseOffsetsOfTheSpaceJoinedText() {
    // joined: "Hello , \u0001  U.S. Zürich"
    Encoding e = uncased.encodeWords(List.of("Hello", ",", "\u0001", "", "U.S.", "Zürich"));
    assertThat(e.tokens())
        .containsExactly(
            "[CLS]", "hello", ",", "[UNK]", "[UNK]", "u", ".", "s", ".", "zurich", "[SEP]");
    assertThat(e.wordIds()).containsExactly(-1, 0, 1, 2, 3, 4, 4, 4, 4, 5, -1);
    assertThat(e.starts()).containsExactly(-1, 0, 6, 8, 10, 11, 12, 13, 14, 16, -1);
    assertThat(e.ends()).containsExactly(-1, 5, 7, 9, 10, 12, 13, 14, 15, 22, -1);
    assertThat(e.wordCount()).isEqualTo(6);
    assertThat(uncased.encodeWords(List.of()).tokens()).containsExactly("[CLS]", "[SEP]");
  }

  @Test
  void vocabularyWithoutSpecialTokensIsRefused() {
    assertThatThrownBy(() -> WordPieceTokenizer.fromVocab(new StringReader("[UNK]\na\nb"), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[CLS]")
        .hasMessageContaining("vocab.txt");
    assertThatThrownBy(() -> WordPieceTokenizer.fromVocab(new StringReader(""), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void vocabularyFacts() {
    assertThat(uncased.vocabSize()).isEqualTo(30_522);
    assertThat(uncased.lowercase()).isTrue();
    assertThat(uncased.maxInputCharsPerWord()).isEqualTo(100);
  }
}
