package dev.strata.model.eval;

import java.util.Objects;

/**
 * An entity over words {@code [start, end)} of a sentence.
 *
 * @param start index of the first word (inclusive)
 * @param end index after the last word (exclusive)
 * @param type the entity type, e.g. {@code PER}
 */
public record EntitySpan(int start, int end, String type) {

  public EntitySpan {
    Objects.requireNonNull(type, "type");
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException(
          "an entity span needs 0 <= start < end, got [" + start + ", " + end + ")");
    }
  }

  /** Number of words. */
  public int length() {
    return end - start;
  }
}
