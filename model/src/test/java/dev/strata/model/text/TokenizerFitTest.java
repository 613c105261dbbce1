package dev.strata.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Length limits: {@link SubwordTokenizer#fit} with each {@link OverflowPolicy}. */
class TokenizerFitTest {

  private static final String LONG_TEXT =
      "The unbelievably long sentence keeps going, with hyphenated state-of-the-art words,"
          + " numbers like 1,234.56 and names such as Zürich and 東京, until it overflows.";

  @TempDir static Path dir;

  private static WordPieceTokenizer tokenizer;

  @BeforeAll
  static void load() throws IOException {
    tokenizer = WordPieceTokenizer.fromVocab(TestVocabs.minilmVocabTxt(dir), true);
  }

  @Test
  void anEncodingThatFitsIsReturnedAsIs() {
    Encoding e = tokenizer.encode("Hello, world!");
    for (OverflowPolicy policy : OverflowPolicy.values()) {
      assertThat(tokenizer.fit(e, 6, policy)).containsExactly(e);
    }
  }

  @Test
  void truncateKeepsTheFirstTokensEndsWithSepAndReportsDropped() {
    Encoding e = tokenizer.encode(LONG_TEXT);
    int n = e.length();
    List<Encoding> fitted = tokenizer.fit(e, 10, OverflowPolicy.TRUNCATE);
    assertThat(fitted).hasSize(1);
    Encoding t = fitted.get(0);
    assertThat(t.length()).isEqualTo(10);
    assertThat(t.droppedTokens()).isEqualTo(n - 10);
    assertThat(t.truncated()).isTrue();
    assertThat(t.tokens()[9]).isEqualTo("[SEP]");
    assertThat(t.wordIds()[9]).isEqualTo(-1);
    for (int i = 0; i < 9; i++) {
      assertThat(t.ids()[i]).isEqualTo(e.ids()[i]);
      assertThat(t.wordIds()[i]).isEqualTo(e.wordIds()[i]);
      assertThat(t.starts()[i]).isEqualTo(e.starts()[i]);
    }
    assertThat(t.wordCount()).isEqualTo(e.wordCount());
  }

  @Test
  void splitWindowsCoverEveryTokenOnceInOrderWithinTheLimit() {
    Encoding e = tokenizer.encode(LONG_TEXT);
    for (int max = 3; max <= e.length() + 1; max++) {
      List<Encoding> windows = tokenizer.fit(e, max, OverflowPolicy.SPLIT);
      assertCovers(e, windows, max);
    }
  }

  @Test
  void splitCutsAtWordBoundaries() {
    Encoding e = tokenizer.encode(LONG_TEXT);
    int longestWord = longestWordInTokens(e);
    for (int max = longestWord + 2; max <= e.length(); max++) {
      List<Encoding> windows = tokenizer.fit(e, max, OverflowPolicy.SPLIT);
      for (int w = 1; w < windows.size(); w++) {
        Encoding previous = windows.get(w - 1);
        int lastWord = previous.wordIds()[previous.length() - 2];
        int firstWord = windows.get(w).wordIds()[1];
        assertThat(firstWord)
            .as("window %d at limit %d starts a new word", w, max)
            .isNotEqualTo(lastWord);
      }
    }
  }

  @Test
  void splitCutsInsideAWordOnlyWhenItIsLongerThanAWindow() {
    // "unbelievably" and "hyphenated" are several sub-tokens each
    Encoding e = tokenizer.encode("unbelievably unbelievably");
    int pieces = (e.length() - 2) / 2;
    assertThat(pieces).isGreaterThan(1);
    List<Encoding> windows = tokenizer.fit(e, 2 + pieces - 1, OverflowPolicy.SPLIT);
    assertCovers(e, windows, 2 + pieces - 1);
    assertThat(windows.get(0).wordIds()).containsOnly(-1, 0);
    List<Encoding> exact = tokenizer.fit(e, 2 + pieces, OverflowPolicy.SPLIT);
    assertThat(exact).hasSize(2);
    assertThat(exact.get(1).wordIds()).containsOnly(-1, 1);
  }

  @Test
  void failGivesTheLengthTheLimitAndWhatToChange() {
    Encoding e = tokenizer.encode(LONG_TEXT);
    assertThatThrownBy(() -> tokenizer.fit(e, 16, OverflowPolicy.FAIL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(e.length()))
        .hasMessageContaining("16")
        .hasMessageContaining("maxTokens")
        .hasMessageContaining("SPLIT");
  }

  @Test
  void badArgumentsAreRefused() {
    Encoding e = tokenizer.encode(LONG_TEXT);
    assertThatThrownBy(() -> tokenizer.fit(e, 2, OverflowPolicy.SPLIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 3");
    assertThatThrownBy(() -> tokenizer.fit(null, 10, OverflowPolicy.SPLIT))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("encoding");
    Encoding noSpecials =
        new Encoding(
            new int[] {5}, new String[] {"x"}, new int[] {0}, new int[] {0}, new int[] {1}, 1, 0);
    assertThatThrownBy(() -> tokenizer.fit(noSpecials, 10, OverflowPolicy.SPLIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[CLS]");
  }

  private static void assertCovers(Encoding e, List<Encoding> windows, int max) {
    List<Integer> ids = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    for (Encoding w : windows) {
      assertThat(w.length()).as("window length at limit %d", max).isBetween(3, max);
      assertThat(w.tokens()[0]).isEqualTo("[CLS]");
      assertThat(w.tokens()[w.length() - 1]).isEqualTo("[SEP]");
      assertThat(w.wordCount()).isEqualTo(e.wordCount());
      assertThat(w.droppedTokens()).isZero();
      for (int i = 1; i < w.length() - 1; i++) {
        ids.add(w.ids()[i]);
        starts.add(w.starts()[i]);
      }
    }
    List<Integer> expectedIds = new ArrayList<>();
    List<Integer> expectedStarts = new ArrayList<>();
    for (int i = 1; i < e.length() - 1; i++) {
      expectedIds.add(e.ids()[i]);
      expectedStarts.add(e.starts()[i]);
    }
    assertThat(ids).as("ids at limit %d", max).isEqualTo(expectedIds);
    assertThat(starts).as("starts at limit %d", max).isEqualTo(expectedStarts);
  }

  private static int longestWordInTokens(Encoding e) {
    int longest = 0;
    int run = 0;
    for (int i = 1; i < e.length() - 1; i++) {
      run = e.wordIds()[i] == e.wordIds()[i - 1] ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
    return longest;
  }
}
