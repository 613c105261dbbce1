package dev.strata.model.ner;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the model says about one text.
 *
 * @param entities entity spans in text order (empty without a token head)
 * @param classLabel the predicted class, or {@code null} without a sequence head
 * @param classProbabilities probability per class (empty without a sequence head)
 * @param windows encoder windows the text was split into (1 when it fitted)
 * @param subTokens sub-tokens of the text, special tokens excluded
 */
public record Annotation(
    List<Entity> entities,
    String classLabel,
    Map<String, Float> classProbabilities,
    int windows,
    int subTokens) {
  public Annotation {
    entities = List.copyOf(Objects.requireNonNull(entities, "entities"));
    classProbabilities = classProbabilities == null ? Map.of() : Map.copyOf(classProbabilities);
  }
}
