package dev.strata.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pure-Java WordPiece path and the Hugging Face (DJL) path give the same ids, tokens, word ids
 * and offsets: uncased on the BERT-base vocabulary of all-MiniLM-L6-v2 (its own tokenizer.json
 * against a vocab.txt derived from it), cased on a small hand-made vocabulary (vocab.txt against
 * the tokenizer.json that {@link TokenizerJsonWriter} writes for it).
 */
class TokenizerParityTest {

  @TempDir static Path dir;

  private static WordPieceTokenizer uncasedWordPiece;
  private static HfTokenizer uncasedHf;
  private static HfTokenizer uncasedWritten;
  private static WordPieceTokenizer casedWordPiece;
  private static HfTokenizer casedHf;

  @BeforeAll
  static void load() throws IOException {
    Path vocab = TestVocabs.minilmVocabTxt(dir);
    uncasedWordPiece = WordPieceTokenizer.fromVocab(vocab, true);
    try (InputStream in = TestVocabs.minilmTokenizerJson()) {
      uncasedHf = HfTokenizer.fromStream(in);
    }
    Path uncasedJson = dir.resolve("uncased-tokenizer.json");
    TokenizerJsonWriter.write(vocab, true, uncasedJson);
    uncasedWritten = HfTokenizer.fromFile(uncasedJson);

    Path casedVocab = TestVocabs.casedVocabTxt(dir);
    casedWordPiece = WordPieceTokenizer.fromVocab(casedVocab, false);
    Path casedJson = dir.resolve("cased-tokenizer.json");
    TokenizerJsonWriter.write(casedVocab, false, casedJson);
    casedHf = HfTokenizer.fromFile(casedJson);
  }

  @AfterAll
  static void close() {
    Stream.of(uncasedHf, uncasedWritten, casedHf).filter(t -> t != null).forEach(t -> t.close());
  }

  static List<String> trickyTexts() {
    return List.of(
        "Hello, world!",
        "Café déjà vu",
        "Zürich",
        "Zu\u0308rich (decomposed) naïve façade Ångström ØRESUND",
        "東京は日本の首都",
        "我爱北京天安门 and 東京",
        "I \u2764\uFE0F NY 😀😀 x👨\u200D👩\u200D👧y 👍🏽 🇩🇪 emoji😀glued 🫠",
        "https://example.com/path?q=1&r=2#frag http://x.y/z_(a)",
        "mail john.doe+tag@example.co.uk or <a@b.c>",
        "a".repeat(100) + " " + "b".repeat(101) + " " + "ab".repeat(80),
        "state-of-the-art-" + "state-of-the-art-".repeat(10) + "model",
        "Supercalifragilisticexpialidocious" + "x".repeat(90),
        "1,234.56 $3.50 -7% 3/4 12:30 +49 (0)30-1234 1e-10 №5",
        "tab\there\nnew\r\nline \u0001ctrl\u0000nul\uFFFDrepl \u200Bzw soft\u00ADhyphen \u0085nel",
        "",
        "   ",
        "\t\n \u3000\u00A0",
        "Москва and 北京 and القاهرة and Αθήνα and עִבְרִית and हिन्दी and 한국어 and ไทย",
        "İstanbul ΣΑΣ straße ﬁne Ⅳ ① ＡＢＣ",
        "see [SEP] and [MASK] and [CLS]",
        "lone a\uD800b c\uDC00 d",
        "\u0301abc e\u0301 o\u0308\u0301",
        "U.S.A. don't e.g. 'quoted' «guillemets» „low“ — dash … ellipsis",
        "private\uE000use unassigned\u0378char");
  }

  @ParameterizedTest
  @MethodSource("trickyTexts")
  void uncasedPathsAgree(String text) {
    Encoding wordPiece = uncasedWordPiece.encode(text);
    assertSame(wordPiece, uncasedHf.encode(text), text);
    assertSame(wordPiece, uncasedWritten.encode(text), text);
    TestVocabs.assertOffsetsMatchSurface(text, wordPiece, true);
  }

  @ParameterizedTest
  @MethodSource("trickyTexts")
  void casedPathsAgree(String text) {
    Encoding wordPiece = casedWordPiece.encode(text);
    assertSame(wordPiece, casedHf.encode(text), text);
    TestVocabs.assertOffsetsMatchSurface(text, wordPiece, false);
  }

  @ParameterizedTest
  @MethodSource("trickyTexts")
  void preSplitWordsAgree(String text) {
    List<String> words = TestVocabs.words(text);
    String joined = String.join(" ", words);
    Encoding uncased = uncasedWordPiece.encodeWords(words);
    assertSame(uncased, uncasedHf.encodeWords(words), joined);
    TestVocabs.assertOffsetsMatchSurface(joined, uncased, true);
    Encoding cased = casedWordPiece.encodeWords(words);
    assertSame(cased, casedHf.encodeWords(words), joined);
    TestVocabs.assertOffsetsMatchSurface(joined, cased, false);
    assertEveryWordHasAFirstToken(uncased, words.size());
    assertEveryWordHasAFirstToken(cased, words.size());
  }

  @Test
  void wordsWithoutSubTokensGetUnknownOnBothPaths() {
    List<String> words = List.of("Hello", "", "\u0001\u200D", "world", "\uFFFD", "!");
    Encoding wordPiece = uncasedWordPiece.encodeWords(words);
    assertSame(wordPiece, uncasedHf.encodeWords(words), words.toString());
    assertEveryWordHasAFirstToken(wordPiece, words.size());
    assertThat(wordPiece.tokens())
        .containsExactly("[CLS]", "hello", "[UNK]", "[UNK]", "world", "[UNK]", "!", "[SEP]");
  }

  @Test
  void vocabularyFactsAgree() {
    assertThat(uncasedWordPiece.vocabSize()).isEqualTo(30_522).isEqualTo(uncasedHf.vocabSize());
    assertThat(uncasedHf.lowercase()).isTrue();
    assertThat(uncasedWordPiece.lowercase()).isTrue();
    assertThat(casedHf.lowercase()).isFalse();
    assertThat(casedHf.vocabSize()).isEqualTo(TestVocabs.CASED_VOCAB.size());
  }

  private static void assertEveryWordHasAFirstToken(Encoding e, int wordCount) {
    List<Integer> seen = new ArrayList<>();
    for (int w : e.wordIds()) {
      if (w >= 0 && (seen.isEmpty() || seen.get(seen.size() - 1) != w)) {
        seen.add(w);
      }
    }
    assertThat(seen).hasSize(wordCount);
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.get(i)).isEqualTo(i);
    }
    assertThat(e.wordCount()).isEqualTo(wordCount);
  }

  private static void assertSame(Encoding expected, Encoding actual, String text) {
    String what = "\"" + text + "\" tokens " + expected + " vs " + actual;
    assertThat(actual.tokens()).as(what).containsExactly(expected.tokens());
    assertThat(actual.ids()).as(what).containsExactly(expected.ids());
    assertThat(actual.wordIds()).as("word ids of " + what).containsExactly(expected.wordIds());
    assertThat(actual.starts()).as("starts of " + what).containsExactly(expected.starts());
    assertThat(actual.ends()).as("ends of " + what).containsExactly(expected.ends());
    assertThat(actual.wordCount()).as("word count of " + what).isEqualTo(expected.wordCount());
    assertThat(actual).isEqualTo(expected);
  }
}
