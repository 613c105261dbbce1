package dev.strata.model.feedback;

import java.util.Objects;

/**
 * A word of a feedback text.
 *
 * @param text the word, {@code text.substring(start, end)} of the example's text
 * @param start first character (UTF-16 index, inclusive)
 * @param end end character (exclusive)
 */
public record WordToken(String text, int start, int end) {
  public WordToken {
    Objects.requireNonNull(text, "text");
    if (start < 0 || end <= start || end - start != text.length()) {
      throw new IllegalArgumentException(
          "word '" + text + "' cannot span [" + start + ", " + end + ")");
    }
  }
}
