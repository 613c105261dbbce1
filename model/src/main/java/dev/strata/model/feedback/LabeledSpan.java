package dev.strata.model.feedback;

import java.util.Objects;

/**
 * A labelled character range of a feedback text.
 *
 * @param start first character (UTF-16 index, inclusive)
 * @param end end character (exclusive)
 * @param label entity type without IOB prefix, e.g. {@code PER}
 */
public record LabeledSpan(int start, int end, String label) {
  public LabeledSpan {
    Objects.requireNonNull(label, "label");
  }
}
