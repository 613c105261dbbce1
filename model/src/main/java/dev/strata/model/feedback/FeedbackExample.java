package dev.strata.model.feedback;

import dev.strata.model.data.Sentence;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One validated labelled example for one head. Made only by {@link FeedbackExamples}, which checks
 * it; either a tagging example ({@link #tags()} non-null, one IOB2 tag per word) or a
 * classification example ({@link #classLabel()} non-null).
 *
 * @param id the example's id (newest wins per id in a store)
 * @param head the head it trains
 * @param text the text
 * @param tokens the words of the text with their character offsets
 * @param tags one IOB2 tag per word, or {@code null} for a classification example
 * @param classLabel the text's class, or {@code null} for a tagging example
 */
public record FeedbackExample(
    String id,
    String head,
    String text,
    List<WordToken> tokens,
    List<String> tags,
    String classLabel) {

  public FeedbackExample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(text, "text");
    tokens = List.copyOf(Objects.requireNonNull(tokens, "tokens"));
    tags = tags == null ? null : List.copyOf(tags);
    if ((tags == null) == (classLabel == null)) {
      throw new IllegalArgumentException("an example has either tags or a class label");
    }
    if (tags != null && tags.size() != tokens.size()) {
      throw new IllegalArgumentException(tags.size() + " tags for " + tokens.size() + " words");
    }
  }

  /** Whether this example trains a token (entity) head. */
  public boolean tagging() {
    return tags != null;
  }

  /** The words, with tags for a tagging example (the form training and scoring read). */
  public Sentence sentence() {
    List<String> words = new ArrayList<>(tokens.size());
    for (WordToken t : tokens) {
      words.add(t.text());
    }
    return new Sentence(words, tags == null ? List.of() : tags);
  }

  /** The entity types tagged in this example (empty for a classification example). */
  public List<String> entityTypes() {
    if (tags == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String t : tags) {
      if (!t.equals("O") && !out.contains(t.substring(2))) {
        out.add(t.substring(2));
      }
    }
    return out;
  }
}
