package dev.strata.model.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * BERT's basic tokeniser: cleans, normalises and splits text into words while remembering, for
 * every normalised code point, the UTF-16 span of the original character it came from.
 *
 * <p>Steps, in the order of Google's {@code BasicTokenizer} and Hugging Face's {@code
 * BertNormalizer} + {@code BertPreTokenizer}: drop NUL, U+FFFD and control/format characters;
 * whitespace ends a word; each CJK ideograph is a word; when lower-casing, lower-case and strip
 * accents (NFD, drop Mn); each punctuation character is a word.
 */
final class BertWordSplitter {

  /**
   * A normalised word: its code points and, per code point, the original UTF-16 span {@code
   * [starts[k], ends[k])}. Code points made from one original character share its span.
   */
  record Word(int[] codePoints, int[] starts, int[] ends) {
    int length() {
      return codePoints.length;
    }

    /** The code points {@code [from, to)} as a string. */
    String text(int from, int to) {
      return new String(codePoints, from, to - from);
    }
  }

  private final boolean lowercase;

  BertWordSplitter(boolean lowercase) {
    this.lowercase = lowercase;
  }

  /** Splits {@code text}; spans are UTF-16 indices into {@code text}. */
  List<Word> split(String text) {
    WordBuilder words = new WordBuilder();
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int end = i + Character.charCount(cp);
      if (BertChars.isDropped(cp)) {
        // skipped: neither part of a word nor a boundary
      } else if (BertChars.isWhitespace(cp)) {
        words.endWord();
      } else if (BertChars.isCjkIdeograph(cp)) {
        words.endWord();
        appendNormalised(cp, i, end, words);
        words.endWord();
      } else {
        appendNormalised(cp, i, end, words);
      }
      i = end;
    }
    words.endWord();
    return words.words;
  }

  private void appendNormalised(int cp, int start, int end, WordBuilder words) {
    if (!lowercase) {
      appendOne(cp, start, end, words);
      return;
    }
    String lower = new String(Character.toChars(cp)).toLowerCase(Locale.ROOT);
    String decomposed = Normalizer.normalize(lower, Normalizer.Form.NFD);
    decomposed
        .codePoints()
        .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
        .forEach(c -> appendOne(c, start, end, words));
  }

  private static void appendOne(int cp, int start, int end, WordBuilder words) {
    if (BertChars.isPunctuation(cp)) {
      words.endWord();
      words.add(cp, start, end);
      words.endWord();
    } else {
      words.add(cp, start, end);
    }
  }

  /** Accumulates code points of the current word. */
  private static final class WordBuilder {
    final List<Word> words = new ArrayList<>();
    int[] cps = new int[16];
    int[] starts = new int[16];
    int[] ends = new int[16];
    int size;

    void add(int cp, int start, int end) {
      if (size == cps.length) {
        cps = Arrays.copyOf(cps, size * 2);
        starts = Arrays.copyOf(starts, size * 2);
        ends = Arrays.copyOf(ends, size * 2);
      }
      cps[size] = cp;
      starts[size] = start;
      ends[size] = end;
      size++;
    }

    void endWord() {
      if (size > 0) {
        words.add(
            new Word(
                Arrays.copyOf(cps, size), Arrays.copyOf(starts, size), Arrays.copyOf(ends, size)));
        size = 0;
      }
    }
  }
}
