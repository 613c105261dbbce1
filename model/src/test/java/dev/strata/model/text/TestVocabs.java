package dev.strata.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Vocabularies and checks shared by the tokenizer tests. */
final class TestVocabs {

  /** tokenizer.json of all-MiniLM-L6-v2 (BERT-base uncased vocabulary), from the test jar. */
  static final String MINILM_TOKENIZER_JSON = "/all-minilm-l6-v2-tokenizer.json";

  /** A small cased vocabulary written by hand (ids are line numbers). */
  static final List<String> CASED_VOCAB =
      List.of(
          "[PAD]",
          "[UNK]",
          "[CLS]",
          "[SEP]",
          "[MASK]",
          "Hello",
          "hello",
          "world",
          "World",
          ",",
          "!",
          ".",
          "?",
          "-",
          "/",
          ":",
          "@",
          "$",
          "%",
          "&",
          "=",
          "+",
          "(",
          ")",
          "[",
          "]",
          "'",
          "Café",
          "Caf",
          "##é",
          "##e",
          "d",
          "##j",
          "##à",
          "vu",
          "Z",
          "##ü",
          "##rich",
          "Zürich",
          "東",
          "京",
          "は",
          "日",
          "本",
          "の",
          "首",
          "都",
          "😀",
          "##😀",
          "👍",
          "x",
          "##y",
          "a",
          "##a",
          "b",
          "c",
          "e",
          "g",
          "s",
          "U",
          "S",
          "A",
          "I",
          "NY",
          "http",
          "##s",
          "example",
          "com",
          "john",
          "doe",
          "the",
          "state",
          "of",
          "art",
          "1",
          "##2",
          "##3",
          "##4",
          "2",
          "3",
          "4",
          "5",
          "0",
          "tab",
          "here",
          "new",
          "line",
          "ctrl",
          "Москва",
          "and",
          "北",
          "The",
          "##ing",
          "run",
          "SEP",
          "MASK",
          "see",
          "naïve",
          "İ",
          "##stanbul",
          "Σ",
          "##Α",
          "##Σ");

  private TestVocabs() {}

  static InputStream minilmTokenizerJson() {
    InputStream in = TestVocabs.class.getResourceAsStream(MINILM_TOKENIZER_JSON);
    assertThat(in).as("test jar resource " + MINILM_TOKENIZER_JSON).isNotNull();
    return in;
  }

  /** Writes the MiniLM vocabulary as vocab.txt (tokens ordered by id) into {@code dir}. */
  static Path minilmVocabTxt(Path dir) throws IOException {
    JsonNode vocab;
    try (InputStream in = minilmTokenizerJson()) {
      vocab = new ObjectMapper().readTree(in).path("model").path("vocab");
    }
    String[] byId = new String[vocab.size()];
    for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      byId[e.getValue().asInt()] = e.getKey();
    }
    Path file = dir.resolve("minilm-vocab.txt");
    Files.write(file, List.of(byId), StandardCharsets.UTF_8);
    return file;
  }

  static Path casedVocabTxt(Path dir) throws IOException {
    Path file = dir.resolve("cased-vocab.txt");
    Files.write(file, CASED_VOCAB, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Checks the offsets of every token: inside the text, not splitting a surrogate pair, in order,
   * and {@code text.substring(start, end)} equals the token without {@code ##} once cleaned (and
   * lower-cased and stripped of accents for an uncased vocabulary). {@code [UNK]} must cover some
   * visible text.
   */
  static void assertOffsetsMatchSurface(String text, Encoding e, boolean lowercase) {
    int previousStart = 0;
    for (int i = 0; i < e.length(); i++) {
      String token = e.tokens()[i];
      int start = e.starts()[i];
      int end = e.ends()[i];
      if (e.wordIds()[i] < 0) {
        assertThat(start).as("special token %s start", token).isEqualTo(-1);
        assertThat(end).as("special token %s end", token).isEqualTo(-1);
        continue;
      }
      assertThat(start).as("start of %s in %s", token, text).isBetween(previousStart, end);
      assertThat(end).isLessThanOrEqualTo(text.length());
      assertThat(splitsSurrogatePair(text, start) || splitsSurrogatePair(text, end))
          .as("offset inside a surrogate pair: %s %d-%d", token, start, end)
          .isFalse();
      previousStart = start;
      String surface = text.substring(start, end);
      if (token.equals("[UNK]")) {
        assertThat(surface).as("[UNK] at %d-%d", start, end).isNotBlank();
        continue;
      }
      // one character can normalise to several tokens (a Hangul syllable to its jamo): those
      // tokens share the character's span, and together spell it
      StringBuilder spelled = new StringBuilder(stripPrefix(token));
      while (i + 1 < e.length()
          && e.wordIds()[i + 1] >= 0
          && e.starts()[i + 1] == start
          && e.ends()[i + 1] == end) {
        i++;
        spelled.append(stripPrefix(e.tokens()[i]));
      }
      assertThat(clean(surface, lowercase))
          .as("surface of %s at %d-%d in \"%s\"", spelled, start, end, text)
          .isEqualTo(spelled.toString());
    }
  }

  private static String stripPrefix(String token) {
    return token.startsWith("##") ? token.substring(2) : token;
  }

  private static boolean splitsSurrogatePair(String text, int index) {
    return index > 0
        && index < text.length()
        && Character.isHighSurrogate(text.charAt(index - 1))
        && Character.isLowSurrogate(text.charAt(index));
  }

  /** Test oracle of BERT's cleaning and (when uncased) lower-casing and accent stripping. */
  static String clean(String s, boolean lowercase) {
    StringBuilder out = new StringBuilder();
    s.codePoints()
        .forEach(
            cp -> {
              int type = Character.getType(cp);
              boolean dropped =
                  cp == 0
                      || cp == 0xFFFD
                      || (Character.isISOControl(cp) && cp != '\t' && cp != '\n' && cp != '\r')
                      || type == Character.FORMAT
                      || type == Character.PRIVATE_USE
                      || type == Character.SURROGATE;
              if (dropped) {
                return;
              }
              String c = new String(Character.toChars(cp));
              if (lowercase) {
                c = Normalizer.normalize(c.toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
                c = c.replaceAll("\\p{Mn}", "");
              }
              out.append(c);
            });
    return out.toString();
  }

  /** Whitespace-split words of a text, for encodeWords. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String w : text.split("[ \\t\\n\\r]+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }
}
