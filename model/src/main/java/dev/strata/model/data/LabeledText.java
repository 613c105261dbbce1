package dev.strata.model.data;

import java.util.Objects;

/**
 * A text with its class label, for sequence classification.
 *
 * @param label the class, non-empty
 * @param text the text, non-empty
 */
public record LabeledText(String label, String text) {

  public LabeledText {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(text, "text");
    if (label.isBlank()) {
      throw new IllegalArgumentException("label must not be blank");
    }
    if (text.isBlank()) {
      throw new IllegalArgumentException("text must not be blank");
    }
  }
}
