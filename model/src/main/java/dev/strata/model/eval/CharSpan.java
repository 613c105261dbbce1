package dev.strata.model.eval;

import java.util.Objects;

/**
 * An entity over characters {@code [start, end)} of a text (UTF-16 indices).
 *
 * @param start first character (inclusive)
 * @param end after the last character (exclusive)
 * @param type the entity type
 */
public record CharSpan(int start, int end, String type) {

  public CharSpan {
    Objects.requireNonNull(type, "type");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(
          "a character span needs 0 <= start <= end, got [" + start + ", " + end + ")");
    }
  }

  /** The covered text. */
  public String text(String source) {
    return source.substring(start, end);
  }
}
