package dev.strata.model.data;

import java.util.List;
import java.util.Objects;

/**
 * A sentence split into words, with one IOB2 tag per word or no tags at all (unlabeled text).
 *
 * @param words the words, at least one
 * @param tags one tag per word, or empty when the sentence is unlabeled
 */
public record Sentence(List<String> words, List<String> tags) {

  public Sentence {
    words = List.copyOf(Objects.requireNonNull(words, "words"));
    tags = List.copyOf(Objects.requireNonNull(tags, "tags"));
    if (words.isEmpty()) {
      throw new IllegalArgumentException("a sentence needs at least one word");
    }
    if (!tags.isEmpty() && tags.size() != words.size()) {
      throw new IllegalArgumentException(
          "a sentence needs one tag per word or no tags at all, got "
              + words.size()
              + " words and "
              + tags.size()
              + " tags");
    }
  }

  /** A sentence without tags. */
  public static Sentence unlabeled(List<String> words) {
    return new Sentence(words, List.of());
  }

  /** Whether every word has a tag. */
  public boolean labeled() {
    return !tags.isEmpty();
  }

  /** Number of words. */
  public int size() {
    return words.size();
  }
}
