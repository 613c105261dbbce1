package dev.strata.app.stream;

import dev.strata.model.ner.Annotation;
import dev.strata.model.ner.Entity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A deterministic stand-in for the model: every capitalised whitespace-separated word is an {@code
 * ENT} with its offsets and score 1; one token per word. Records the batches it was called with,
 * and throws for batches containing a text that {@code failOn} accepts.
 */
final class FakeAnnotator implements Annotator {
  static final String VERSION = "fake-backbone/caps@1";

  final List<List<String>> batches = new ArrayList<>();
  private final Predicate<String> failOn;

  FakeAnnotator() {
    this(t -> false);
  }

  FakeAnnotator(Predicate<String> failOn) {
    this.failOn = failOn;
  }

  @Override
  public List<Annotation> annotate(List<String> texts) {
    batches.add(List.copyOf(texts));
    if (texts.stream().anyMatch(failOn)) {
      throw new IllegalStateException("fake model failure");
    }
    List<Annotation> out = new ArrayList<>();
    for (String t : texts) {
      List<Entity> entities = new ArrayList<>();
      int i = 0;
      while (i < t.length()) {
        while (i < t.length() && Character.isWhitespace(t.charAt(i))) {
          i++;
        }
        int start = i;
        while (i < t.length() && !Character.isWhitespace(t.charAt(i))) {
          i++;
        }
        if (i > start && Character.isUpperCase(t.charAt(start))) {
          entities.add(new Entity(start, i, "ENT", t.substring(start, i), 1f, new float[] {0.5f}));
        }
      }
      out.add(new Annotation(entities, "caps", Map.of("caps", 1f), 1, tokenCount(t)));
    }
    return out;
  }

  @Override
  public String modelVersion() {
    return VERSION;
  }

  @Override
  public ModelDescriptor descriptor() {
    return new ModelDescriptor("fake-backbone", Map.of("caps", "1"), "caps", "caps-class");
  }

  @Override
  public int tokenCount(String text) {
    String trimmed = text.trim();
    return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
  }
}
