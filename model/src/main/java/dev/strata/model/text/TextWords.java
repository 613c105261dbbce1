package dev.strata.model.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The words BERT's pre-tokeniser finds in raw text, as character spans: whitespace ends a word,
 * every punctuation character and every CJK ideograph is a word of its own, control characters are
 * dropped. This is the word splitting {@link SubwordTokenizer#encode} (and so the tagger at
 * inference) applies, so tags given per word of this split line up with what the tagger predicts.
 *
 * <p>Case folding does not move word boundaries, with one exception: under a lower-casing
 * vocabulary, a "word" made only of combining marks disappears (accents are stripped). Such words
 * carry no letters and are never part of an entity in practice.
 */
public final class TextWords {
  private static final BertWordSplitter SPLITTER = new BertWordSplitter(false);

  private TextWords() {}

  /**
   * A word of a text.
   *
   * @param start first character (UTF-16 index, inclusive)
   * @param end end character (exclusive)
   */
  public record Span(int start, int end) {
    public Span {
      if (start < 0 || end <= start) {
        throw new IllegalArgumentException(
            "a word span needs 0 <= start < end, got " + start + ", " + end);
      }
    }
  }

  /** The words of {@code text} in order. */
  public static List<Span> split(String text) {
    Objects.requireNonNull(text, "text");
    List<BertWordSplitter.Word> words = SPLITTER.split(text);
    List<Span> out = new ArrayList<>(words.size());
    for (BertWordSplitter.Word w : words) {
      out.add(new Span(w.starts()[0], w.ends()[w.length() - 1]));
    }
    return out;
  }
}
