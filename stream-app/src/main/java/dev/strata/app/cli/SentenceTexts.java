package dev.strata.app.cli;

import dev.strata.schemas.avro.EntitySpan;
import java.util.ArrayList;
import java.util.List;

/**
 * CoNLL sentences as texts (words joined by one space) and entity spans back to word tags, for
 * {@code feedback} and {@code stream-eval}.
 */
final class SentenceTexts {
  private SentenceTexts() {}

  /** The words joined by single spaces. */
  static String text(List<String> words) {
    return String.join(" ", words);
  }

  /** Start offset of each word in {@link #text}. */
  static int[] starts(List<String> words) {
    int[] starts = new int[words.size()];
    int at = 0;
    for (int i = 0; i < words.size(); i++) {
      starts[i] = at;
      at += words.get(i).length() + 1;
    }
    return starts;
  }

  /**
   * IOB2 word tags from the spans of {@code head}: a word overlapping a span takes its label, the
   * first such word {@code B-}, the following ones {@code I-}. Spans of other heads are ignored; a
   * word overlapping two spans keeps the first.
   */
  static List<String> tags(List<String> words, List<EntitySpan> spans, String head) {
    int[] starts = starts(words);
    List<String> tags = new ArrayList<>(words.size());
    for (int i = 0; i < words.size(); i++) {
      tags.add("O");
    }
    for (EntitySpan s : spans) {
      if (!head.equals(s.getHead())) {
        continue;
      }
      boolean first = true;
      for (int i = 0; i < words.size(); i++) {
        int ws = starts[i];
        int we = ws + words.get(i).length();
        boolean overlaps = ws < s.getEnd() && s.getStart() < we;
        if (overlaps && tags.get(i).equals("O")) {
          tags.set(i, (first ? "B-" : "I-") + s.getLabel());
          first = false;
        } else if (overlaps) {
          first = false;
        }
      }
    }
    return tags;
  }
}
